// The example's data set: product rows generated from their row number, so that every worker can read
// its own range without a shared file (row n has a quantity and a unit price in cents).
export interface ProductRow {
	row_number: number;
	sku: string;
	quantity: number;
	price_cents: number;
}

export function productRow(rowNumber: number): ProductRow {
	return {
		row_number: rowNumber,
		sku: `SKU-${String(rowNumber).padStart(5, "0")}`,
		quantity: (rowNumber * 37) % 101,
		price_cents: 100 + ((rowNumber * 13) % 900),
	};
}

/** Rows in the data set a task names: `row_count` (default 1000), or 0 for the reference's `empty.csv`. */
export function rowCount(csvFilePath: unknown, requested: unknown): number {
	if (typeof requested === "number" && Number.isInteger(requested) && requested >= 0) return requested;
	return typeof csvFilePath === "string" && csvFilePath.endsWith("empty.csv") ? 0 : 1000;
}
