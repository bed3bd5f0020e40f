// E-commerce step 1: checks every cart line against the catalogue and prices the cart
// (subtotal + 8 % tax + shipping). An unknown product is permanent; too little stock may be restocked, so
// it is retryable.
import {
	PermanentError,
	RetryableError,
	type StepContext,
	StepHandler,
	type StepHandlerResult,
} from "tasker-edge";
import { type CartLine, type CartValidation, PRODUCTS, SHIPPING_CENTS, TAX_RATE, toUnits } from "./catalog";

export class ValidateCartHandler extends StepHandler {
	static handlerName = "Examples.Ecommerce.StepHandlers.ValidateCartHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const items = context.getInput<unknown>("cart_items");
		if (!Array.isArray(items) || items.length === 0) {
			throw new PermanentError("cart_items must be a non-empty list of {product_id, quantity}", {
				errorCode: "EMPTY_CART",
			});
		}
		const lines: CartLine[] = [];
		let subtotalCents = 0;
		items.forEach((item: unknown, index) => {
			const { product_id: productId, quantity } = (item ?? {}) as {
				product_id?: unknown;
				quantity?: unknown;
			};
			if (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 1) {
				throw new PermanentError(`cart_items[${index}].quantity must be an integer >= 1`, {
					errorCode: "INVALID_QUANTITY",
				});
			}
			const product = typeof productId === "number" ? PRODUCTS.get(productId) : undefined;
			if (product === undefined) {
				throw new PermanentError(`cart_items[${index}]: product ${JSON.stringify(productId)} not found`, {
					errorCode: "UNKNOWN_PRODUCT",
				});
			}
			if (product.stock < quantity) {
				throw new RetryableError(
					`insufficient stock for ${product.name}: ${product.stock} available, ${quantity} requested`,
					{ errorCode: "OUT_OF_STOCK" },
				);
			}
			const lineCents = product.price_cents * quantity;
			subtotalCents += lineCents;
			lines.push({
				product_id: product.id,
				name: product.name,
				price: toUnits(product.price_cents),
				quantity,
				line_total: toUnits(lineCents),
			});
		});
		const taxCents = Math.round(subtotalCents * TAX_RATE);
		const validation: CartValidation = {
			validated_items: lines,
			subtotal: toUnits(subtotalCents),
			tax: toUnits(taxCents),
			shipping: toUnits(SHIPPING_CENTS),
			total: toUnits(subtotalCents + taxCents + SHIPPING_CENTS),
			item_count: lines.reduce((sum, line) => sum + line.quantity, 0),
		};
		return this.success(validation, {
			operation: "validate_cart",
			products_checked: lines.length,
		});
	}
}
