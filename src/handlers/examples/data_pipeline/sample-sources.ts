// The data pipeline example's simulated source systems: a sales database, a warehouse system and a CRM.
// Amounts are whole currency units so that sums are exact.

export interface SaleRecord {
	order_id: string;
	date: string;
	product_id: string;
	quantity: number;
	amount: number;
}

export interface StockRecord {
	product_id: string;
	warehouse: string;
	quantity_on_hand: number;
	reorder_point: number;
}

export interface CustomerRecord {
	customer_id: string;
	tier: string;
	lifetime_value: number;
}

export const SALES: readonly SaleRecord[] = [
	{ order_id: "S-1001", date: "2025-10-28", product_id: "PROD-A", quantity: 4, amount: 200 },
	{ order_id: "S-1002", date: "2025-11-03", product_id: "PROD-A", quantity: 2, amount: 100 },
	{ order_id: "S-1003", date: "2025-11-03", product_id: "PROD-B", quantity: 1, amount: 250 },
	{ order_id: "S-1004", date: "2025-11-12", product_id: "PROD-C", quantity: 5, amount: 75 },
	{ order_id: "S-1005", date: "2025-11-20", product_id: "PROD-B", quantity: 2, amount: 500 },
	{ order_id: "S-1006", date: "2025-11-29", product_id: "PROD-A", quantity: 6, amount: 300 },
];

export const STOCK: readonly StockRecord[] = [
	{ product_id: "PROD-A", warehouse: "WH-EAST", quantity_on_hand: 120, reorder_point: 40 },
	{ product_id: "PROD-A", warehouse: "WH-WEST", quantity_on_hand: 30, reorder_point: 40 },
	{ product_id: "PROD-B", warehouse: "WH-EAST", quantity_on_hand: 15, reorder_point: 20 },
	{ product_id: "PROD-C", warehouse: "WH-WEST", quantity_on_hand: 300, reorder_point: 100 },
];

export const CUSTOMERS: readonly CustomerRecord[] = [
	{ customer_id: "C-01", tier: "gold", lifetime_value: 4000 },
	{ customer_id: "C-02", tier: "standard", lifetime_value: 600 },
	{ customer_id: "C-03", tier: "premium", lifetime_value: 12000 },
	{ customer_id: "C-04", tier: "standard", lifetime_value: 900 },
];

/** Sums `value` over `records` grouped by `key`, in first-seen order. */
export function groupBy<T>(records: readonly T[], key: (record: T) => string): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const record of records) {
		const k = key(record);
		groups.set(k, [...(groups.get(k) ?? []), record]);
	}
	return groups;
}

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
