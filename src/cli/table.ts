// Column alignment for people: a header and rows padded to each column's widest cell (no table library).

/** Each row as one line, columns two spaces apart; the last column is not padded (no trailing blanks). */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
	const all = [headers, ...rows];
	const columns = Math.max(...all.map((row) => row.length));
	const widths = Array.from({ length: columns }, (_, i) =>
		Math.max(...all.map((row) => (row[i] ?? "").length)),
	);
	return all.map((row) =>
		Array.from({ length: columns }, (_, i) => {
			const cell = row[i] ?? "";
			return i === columns - 1 ? cell : cell.padEnd(widths[i] ?? 0);
		})
			.join("  ")
			.trimEnd(),
	);
}

/** `key  value` pairs, keys aligned: one object's fields for a person. */
export function formatFields(fields: readonly (readonly [string, string])[]): string[] {
	const width = Math.max(0, ...fields.map(([key]) => key.length));
	return fields.map(([key, value]) => `${key.padEnd(width)}  ${value}`.trimEnd());
}

/** A cell for any value: strings as they are, nothing as `-`, anything else as compact JSON. */
export function cell(value: unknown): string {
	if (value === null || value === undefined || value === "") return "-";
	if (typeof value === "string") return value;
	return JSON.stringify(value);
}
