// Many rows of one table in one statement. Every statement costs the object a fixed price beyond its
// rows (the runtime's own bookkeeping around each call measured ~40 µs locally, several times SQLite's
// work for a small row), so the rows a transaction writes to a table go in together: as JSON text, read
// back by `json_each(?)`, one bound parameter at any row count.
import { jsonElement, jsonRowChunks } from "../src/d1/json-row-chunks";

/** A value this module carries as JSON and SQLite reads back unchanged: text, number or null. */
export type BulkValue = string | number | null;

/** One table's write, spelled twice: for one row (a `?` per column) and for many (`json_each(?) AS r`). */
export interface BulkStatement {
	single: string;
	bulk: string;
}

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
	if (rows.length === 0) return;
	if (rows.length === 1) {
		exec(statement.single, ...(rows[0] as BulkValue[]));
		return;
	}
	const together: (readonly BulkValue[])[] = [];
	for (const row of rows) {
		if (rowChars(row) >= ALONE_FROM_CHARS) exec(statement.single, ...(row as BulkValue[]));
		else together.push(row);
	}
	if (together.length === 1) exec(statement.single, ...(together[0] as BulkValue[]));
	else for (const chunk of jsonRowChunks(together, MAX_CHUNK_CHARS)) exec(statement.bulk, chunk);
}

function rowChars(row: readonly BulkValue[]): number {
	let chars = 0;
	for (const value of row) chars += typeof value === "string" ? value.length : 8;
	return chars;
}

/** `INSERT INTO table (columns) …` for one row and for many. */
export function insertStatement(table: string, columns: readonly string[]): BulkStatement {
	const list = columns.join(", ");
	return {
		single: `INSERT INTO ${table} (${list}) VALUES (${columns.map(() => "?").join(", ")})`,
		bulk: `INSERT INTO ${table} (${list}) SELECT ${columns.map((_, i) => jsonElement("r", i)).join(", ")} FROM json_each(?) AS r`,
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
