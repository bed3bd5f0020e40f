// A task object's storage taken back to how older schemas laid it out, to test the migrations that bring it
// forward on its next load.
import { ROW_MARKS } from "../../durable-objects/task-row-marks";
import { META_TABLE } from "../../durable-objects/task-schema";

/** Back to how schema 8 and older kept the edges: a table of their own, no children column. */
export function edgesInTheirOwnTable(sql: SqlStorage): void {
	sql.exec(
		"CREATE TABLE edge (parent INTEGER NOT NULL, child INTEGER NOT NULL, PRIMARY KEY (parent, child)) WITHOUT ROWID",
	);
	sql.exec(
		"INSERT INTO edge (parent, child) SELECT step.idx, c.value FROM step, json_each(step.children) AS c",
	);
	sql.exec("ALTER TABLE step DROP COLUMN children");
}

/**
 * Back to how schema 9 and older kept the task row's marks: rows of the meta table (a row per mark that
 * was set, as written then), no columns; the schema version given is written as the one reached.
 */
export function marksInMetaRows(sql: SqlStorage, version: number): void {
	sql.exec(META_TABLE);
	for (const mark of ROW_MARKS) {
		if (mark === "schema_version") continue;
		sql.exec(`INSERT INTO meta (key, value) SELECT '${mark}', ${mark} FROM task WHERE ${mark} IS NOT NULL`);
	}
	sql.exec("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", version);
	for (const mark of ROW_MARKS) sql.exec(`ALTER TABLE task DROP COLUMN ${mark}`);
}
