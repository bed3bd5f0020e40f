// The task index (D1) behind GET /v1/tasks: one row per task, so that listing and filtering never
// visit the task objects. Task objects push their row after each status change (through a fleet writer,
// which upserts many tasks' rows in one statement); an upsert never moves a row back in time, so pushes
// that arrive late or twice are harmless.
import type { TaskRecord } from "../core/task-records";
import { jsonElements, jsonRowChunks } from "../d1/json-row-chunks";

export interface TaskIndexFilters {
	namespace?: string;
	status?: string;
	initiator?: string;
	sourceSystem?: string;
}

export interface TaskIndexRow {
	task_uuid: string;
	name: string;
	namespace: string;
	version: string;
	status: string;
	initiator: string;
	source_system: string;
	reason: string;
	priority: number;
	correlation_id: string;
	created_at: number;
	updated_at: number;
	completed_at: number | null;
}

// The table task_index and its indexes are created by the D1 migrations (migrations/).

export function indexRowOf(task: TaskRecord): TaskIndexRow {
	return {
		task_uuid: task.taskUuid,
		name: task.name,
		namespace: task.namespace,
		version: task.version,
		status: task.status,
		initiator: task.initiator,
		source_system: task.sourceSystem,
		reason: task.reason,
		priority: task.priority,
		correlation_id: task.correlationId,
		created_at: task.createdAt,
		updated_at: task.updatedAt,
		completed_at: task.completedAt,
	};
}

/** The row's columns in order: a row travels as a JSON array of these values. */
const INDEX_COLUMNS = [
	"task_uuid",
	"name",
	"namespace",
	"version",
	"status",
	"initiator",
	"source_system",
	"reason",
	"priority",
	"correlation_id",
	"created_at",
	"updated_at",
	"completed_at",
] as const satisfies ReadonlyArray<keyof TaskIndexRow>;

/**
 * The upserts of any number of tasks' rows, to run in a batch: one statement per JSON chunk of rows (see
 * D1_MAX_JSON_PARAMETER_CHARS). Rows apply in order, so a task's row given twice ends as the newer one.
 */
export function taskIndexUpserts(db: D1Database, rows: readonly TaskIndexRow[]): D1PreparedStatement[] {
	const values = rows.map((row) => INDEX_COLUMNS.map((column) => row[column]));
	return jsonRowChunks(values).map((chunk) =>
		db
			.prepare(
				`INSERT INTO task_index (${INDEX_COLUMNS.join(", ")})
				SELECT ${jsonElements("r", INDEX_COLUMNS.length)}
				FROM json_each(?) r WHERE true
				ON CONFLICT (task_uuid) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at,
					completed_at = excluded.completed_at
				WHERE excluded.updated_at >= task_index.updated_at`,
			)
			.bind(chunk),
	);
}

/** Newest first; `total` counts every row matching the filters. */
export async function listTaskIndex(
	db: D1Database,
	filters: TaskIndexFilters,
	page: number,
	perPage: number,
): Promise<{ rows: TaskIndexRow[]; total: number }> {
	const clauses: string[] = [];
	const values: string[] = [];
	const add = (column: string, value: string | undefined) => {
		if (value === undefined) return;
		clauses.push(`${column} = ?`);
		values.push(value);
	};
	add("namespace", filters.namespace);
	add("status", filters.status);
	add("initiator", filters.initiator);
	add("source_system", filters.sourceSystem);
	const where = clauses.length === 0 ? "" : `WHERE ${clauses.join(" AND ")}`;
	const [rows, count] = await db.batch<unknown>([
		db
			.prepare(`SELECT * FROM task_index ${where} ORDER BY created_at DESC, task_uuid LIMIT ? OFFSET ?`)
			.bind(...values, perPage, (page - 1) * perPage),
		db.prepare(`SELECT COUNT(*) AS total FROM task_index ${where}`).bind(...values),
	]);
	return {
		rows: (rows?.results ?? []) as TaskIndexRow[],
		total: Number((count?.results?.[0] as { total?: number } | undefined)?.total ?? 0),
	};
}
