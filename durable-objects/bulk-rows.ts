// A table's rows, written one statement per row or many rows in one statement. An object prepares each
// distinct statement the first time it runs it, and a new task object runs everything for the first time:
// measured in the Workers pool, the many-row form (the rows as JSON text, read back by `json_each(?)`) costs
// a new object 100–200 µs more to prepare than the one-row form, more than running the one-row form four
// times (a further statement ~6–25 µs, by width). So a write of up to four rows, nearly every write of a
// small task, goes row by row, and a small task prepares only the one-row forms; more rows (a wide
// fan-out's release and its transitions) go together, a statement per chunk.
import { jsonElement, jsonRowChunks } from "../src/d1/json-row-chunks";

/** A value this module carries as JSON and SQLite reads back unchanged: text, number or null. */
export type BulkValue = string | number | null;

/**
 * One table's write, spelled twice: for one row (a `?` per column) and for many (`json_each(?) AS r`).
 * `bulk` is null for a table whose rows always go one by one.
 */
export interface BulkStatement {
	single: string;
	bulk: string | null;
}

/** Up to this many rows, a write runs the one-row statement once per row (see above). */
export const ROW_BY_ROW_UP_TO = 4;

/**
 * Rows longer than this (as JSON) are written alone with the single-row statement: escaped into a JSON
 * list, a row near the platform's 2 MB row limit could pass it where the row itself would not.
 */
const ALONE_FROM_CHARS = 100_000;
/** A chunk of rows stays well under the platform's limit on one bound value. */
const MAX_CHUNK_CHARS = 500_000;

type Exec = (query: string, ...bindings: BulkValue[]) => unknown;

/** Writes the rows (each its values in column order) with as few statements as their size allows. */
export function writeRows(
	exec: Exec,
	statement: BulkStatement,
	rows: readonly (readonly BulkValue[])[],
): void {
	const bulk = statement.bulk;
	if (bulk === null || rows.length <= ROW_BY_ROW_UP_TO) {
		for (const row of rows) exec(statement.single, ...(row as BulkValue[]));
		return;
	}
	const together: (readonly BulkValue[])[] = [];
	for (const row of rows) {
		if (rowChars(row) >= ALONE_FROM_CHARS) exec(statement.single, ...(row as BulkValue[]));
		else together.push(row);
	}
	if (together.length === 1) exec(statement.single, ...(together[0] as BulkValue[]));
	else for (const chunk of jsonRowChunks(together, MAX_CHUNK_CHARS)) exec(bulk, chunk);
}

function rowChars(row: readonly BulkValue[]): number {
	let chars = 0;
	for (const value of row) chars += typeof value === "string" ? value.length : 8;
	return chars;
}

/**
 * `INSERT INTO table (columns) …` for one row and for many. `rowByRow`: no many-row form, for rows so
 * wide that reading each column back out of JSON costs more than a statement per row.
 */
export function insertStatement(
	table: string,
	columns: readonly string[],
	options: { rowByRow?: boolean } = {},
): BulkStatement {
	const list = columns.join(", ");
	return {
		single: `INSERT INTO ${table} (${list}) VALUES (${columns.map(() => "?").join(", ")})`,
		bulk: options.rowByRow
			? null
			: `INSERT INTO ${table} (${list}) SELECT ${columns.map((_, i) => jsonElement("r", i)).join(", ")} FROM json_each(?) AS r`,
	};
}

/**
 * `UPDATE table SET columns … WHERE key = ?` for one row and for many; a row is its new values in
 * column order, then its key. The many-row form looks each row up by the key (SQLite drives the join
 * from the JSON rows and searches the table by its primary key: no scan).
 */
export function updateStatement(table: string, key: string, columns: readonly string[]): BulkStatement {
	return {
		single: `UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(", ")} WHERE ${key} = ?`,
		bulk: `UPDATE ${table} SET ${columns.map((c, i) => `${c} = ${jsonElement("r", i)}`).join(", ")}
			FROM json_each(?) AS r WHERE ${table}.${key} = ${jsonElement("r", columns.length)}`,
	};
}

/** `INSERT … ON CONFLICT (key) DO UPDATE` of the other columns, for one row and for many. */
export function upsertStatement(table: string, key: string, columns: readonly string[]): BulkStatement {
	const insert = insertStatement(table, [key, ...columns]);
	const conflict = ` ON CONFLICT (${key}) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(", ")}`;
	// `WHERE true`: without it SQLite would read ON CONFLICT as part of the SELECT's join.
	return { single: insert.single + conflict, bulk: `${insert.bulk} WHERE true${conflict}` };
}
