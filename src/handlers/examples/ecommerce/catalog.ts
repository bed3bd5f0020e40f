// The e-commerce example's simulated store: products with prices and stock, and the pricing rules.
// Prices are kept in cents so that totals are exact; results show currency units rounded to cents.

export interface Product {
	id: number;
	name: string;
	price_cents: number;
	stock: number;
}

export const PRODUCTS: ReadonlyMap<number, Product> = new Map(
	[
		{ id: 1, name: "Widget A", price_cents: 2999, stock: 100 },
		{ id: 2, name: "Widget B", price_cents: 4999, stock: 50 },
		{ id: 3, name: "Gizmo", price_cents: 1250, stock: 20 },
		{ id: 4, name: "Sold-out Gadget", price_cents: 8999, stock: 0 },
	].map((product) => [product.id, product]),
);

/** 8 % sales tax on the subtotal. */
export const TAX_RATE = 0.08;
export const SHIPPING_CENTS = 599;

export const toUnits = (cents: number): number => Math.round(cents) / 100;

/** A validated cart line, as validate_cart reports it and later steps read it. */
export interface CartLine {
	product_id: number;
	name: string;
	price: number;
	quantity: number;
	line_total: number;
}

/** validate_cart's result. */
export type CartValidation = {
	validated_items: CartLine[];
	subtotal: number;
	tax: number;
	shipping: number;
	total: number;
	item_count: number;
};
