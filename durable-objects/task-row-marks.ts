// The marks every task reads and writes on its ordinary path (the schema version, the alarm's mirror, the
// metrics staged and landed), kept in columns of the task row since schema 10. As rows of a meta table they
// were a table more for every new task to create and a row written per change (four per seed order, a tenth
// of its rows written); as columns they go in with the task row's insert and its update at the end of the
// transaction that changed them. The other meta keys (a dynamic task's plan, the DLQ entries staged) are
// rare, and stay in a meta table created by the first of them.
import type { BulkValue } from "./bulk-rows";

export const ROW_MARKS = ["schema_version", "alarm_at", "metrics_staged", "metrics_landed"] as const;

export type RowMark = (typeof ROW_MARKS)[number];

/** Each mark's value as in its column: null when unset. */
export type RowMarkValues = Map<RowMark, BulkValue>;

export function isRowMark(key: string): key is RowMark {
	return (ROW_MARKS as readonly string[]).includes(key);
}

/** A new task's marks: only its schema version is set. */
export function newRowMarks(schemaVersion: number): RowMarkValues {
	const marks: RowMarkValues = new Map(ROW_MARKS.map((mark) => [mark, null]));
	marks.set("schema_version", schemaVersion);
	return marks;
}

/** The marks of a task row read with them (a row of schema 9 or older has none of the columns). */
export function rowMarksOf(row: Record<string, SqlStorageValue>): RowMarkValues {
	return new Map(ROW_MARKS.map((mark) => [mark, markValue(row[mark])]));
}

/** The marks' values in ROW_MARKS order, for the columns named by it. */
export function rowMarkCells(marks: RowMarkValues): BulkValue[] {
	return ROW_MARKS.map((mark) => marks.get(mark) ?? null);
}

function markValue(cell: SqlStorageValue | undefined): BulkValue {
	if (cell === undefined || cell === null) return null;
	if (typeof cell === "string" || typeof cell === "number") return cell;
	throw new Error(`a task row mark holds a ${typeof cell}, where text, a number or null was expected`);
}

/**
 * Schema 9 and older kept the marks as meta rows: the migration to 10 moves them into the columns and
 * deletes the rows. The version itself is written by the store once the migrations have run.
 */
export const MARKS_INTO_COLUMNS: readonly string[] = [
	"ALTER TABLE task ADD COLUMN schema_version INTEGER",
	"ALTER TABLE task ADD COLUMN alarm_at INTEGER",
	"ALTER TABLE task ADD COLUMN metrics_staged TEXT",
	"ALTER TABLE task ADD COLUMN metrics_landed TEXT",
	`UPDATE task SET
		alarm_at = (SELECT value FROM meta WHERE key = 'alarm_at'),
		metrics_staged = (SELECT value FROM meta WHERE key = 'metrics_staged'),
		metrics_landed = (SELECT value FROM meta WHERE key = 'metrics_landed')`,
	"DELETE FROM meta WHERE key IN ('schema_version', 'alarm_at', 'metrics_staged', 'metrics_landed')",
];
