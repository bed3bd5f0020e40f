// Writing and reading a SQLite row's cells: JSON columns in, and a row read back as a plain record, where a
// missing column reads as undefined (treated as null).

/** A row as the SQL API returns it. */
export type Row = Record<string, SqlStorageValue>;

/** A value as a JSON column holds it. */
export const json = (value: unknown): string => JSON.stringify(value);

// Column readers. A row is a plain record, so a missing column reads as undefined: treated as null.
export type Cell = SqlStorageValue | undefined;
export const parse = <T>(value: Cell): T => JSON.parse(String(value)) as T;
export const num = (value: Cell): number => Number(value);
export const numOrNull = (value: Cell): number | null =>
	value === null || value === undefined ? null : Number(value);
export const strOrNull = (value: Cell): string | null =>
	value === null || value === undefined ? null : String(value);
/** The length of a stored text column (0 for none). */
export const charsOf = (value: Cell): number => (typeof value === "string" ? value.length : 0);
