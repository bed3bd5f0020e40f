// Rows for one D1 statement as JSON text: the statement reads them back with `json_each(?)`, so a table's
// rows are one bound parameter instead of one per value, and a push is a few statements at any size.
import { D1_MAX_JSON_PARAMETER_CHARS } from "../limits";

/**
 * The rows as JSON arrays of at most `maxChars` characters each (a row longer than that alone in its
 * chunk). An empty list gives no chunk: no statement to run.
 */
export function jsonRowChunks(rows: readonly unknown[], maxChars = D1_MAX_JSON_PARAMETER_CHARS): string[] {
	const chunks: string[] = [];
	let current: string[] = [];
	let length = 2;
	for (const row of rows) {
		const text = JSON.stringify(row);
		if (current.length > 0 && length + text.length + 1 > maxChars) {
			chunks.push(`[${current.join(",")}]`);
			current = [];
			length = 2;
		}
		current.push(text);
		length += text.length + 1;
	}
	if (current.length > 0) chunks.push(`[${current.join(",")}]`);
	return chunks;
}

/** Element `i` of a row read back by `json_each(?) alias`, for a SELECT list. */
export function jsonElement(alias: string, i: number): string {
	return `json_extract(${alias}.value, '$[${i}]')`;
}

/** Elements 0 … count-1 of such a row, comma-separated: a row's columns in order. */
export function jsonElements(alias: string, count: number): string {
	return Array.from({ length: count }, (_, i) => jsonElement(alias, i)).join(", ");
}
