// The schedule index (D1, beside the task index) behind GET /v1/schedules and the schedule metrics: one
// row per schedule, written by its object after each change. Listing reads D1, never the schedule
// objects (a registry object would be one hot object every write and every list goes through). An
// upsert never moves a row back to an older revision, so a push that arrives late or twice is
// harmless; a deleted schedule keeps a tombstone so that a late push cannot bring it back. The table is
// created by the D1 migrations (migrations/0003_schedule_index.sql).
import type { ScheduleView } from "./schedule-records";

export async function upsertScheduleIndex(
	db: D1Database,
	view: ScheduleView,
	revision: number,
	deleted: boolean,
): Promise<void> {
	await db
		.prepare(
			`INSERT INTO schedule_index (schedule_id, namespace, name, revision, deleted, created_at, view)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (schedule_id) DO UPDATE SET revision = excluded.revision, deleted = excluded.deleted,
				view = excluded.view
			WHERE excluded.revision >= schedule_index.revision AND schedule_index.deleted = 0`,
		)
		.bind(
			view.schedule_id,
			view.namespace,
			view.name,
			revision,
			deleted ? 1 : 0,
			view.created_at,
			JSON.stringify(view),
		)
		.run();
}

export interface ScheduleListFilters {
	namespace?: string;
	limit: number;
	offset: number;
}

/** The schedules that are not deleted, oldest first, as last pushed by their objects. */
export async function listScheduleIndex(
	db: D1Database,
	filters: ScheduleListFilters,
): Promise<{ schedules: ScheduleView[]; total: number }> {
	const where = filters.namespace === undefined ? "deleted = 0" : "deleted = 0 AND namespace = ?";
	const binds = filters.namespace === undefined ? [] : [filters.namespace];
	const [rows, count] = await db.batch<Record<string, unknown>>([
		db
			.prepare(
				`SELECT view FROM schedule_index WHERE ${where} ORDER BY created_at, schedule_id LIMIT ? OFFSET ?`,
			)
			.bind(...binds, filters.limit, filters.offset),
		db.prepare(`SELECT COUNT(*) AS total FROM schedule_index WHERE ${where}`).bind(...binds),
	]);
	return {
		schedules: (rows?.results ?? []).map((row) => JSON.parse(String(row.view)) as ScheduleView),
		total: Number(count?.results?.[0]?.total ?? 0),
	};
}

export interface ScheduleRunCounts {
	namespace: string;
	task: string;
	started: number;
	skipped: number;
	failed: number;
	missed: number;
}

/** Runs per template, summed over the schedules that exist: the schedule metrics. */
export async function scheduleRunCounts(db: D1Database): Promise<ScheduleRunCounts[]> {
	const { results } = await db
		.prepare(
			`SELECT namespace, name,
				SUM(json_extract(view, '$.runs.started')) AS started, SUM(json_extract(view, '$.runs.skipped')) AS skipped,
				SUM(json_extract(view, '$.runs.failed')) AS failed, SUM(json_extract(view, '$.runs.missed')) AS missed
			FROM schedule_index WHERE deleted = 0 GROUP BY namespace, name ORDER BY namespace, name`,
		)
		.all<Record<string, unknown>>();
	return results.map((row) => ({
		namespace: String(row.namespace),
		task: String(row.name),
		started: Number(row.started),
		skipped: Number(row.skipped),
		failed: Number(row.failed),
		missed: Number(row.missed),
	}));
}

/** The statuses the task index holds for these tasks (absent: not indexed yet). */
export async function indexedTaskStatuses(
	db: D1Database,
	taskUuids: readonly string[],
): Promise<Map<string, string>> {
	if (taskUuids.length === 0) return new Map();
	const { results } = await db
		.prepare(
			`SELECT task_uuid, status FROM task_index WHERE task_uuid IN (${taskUuids.map(() => "?").join(", ")})`,
		)
		.bind(...taskUuids)
		.all<{ task_uuid: string; status: string }>();
	return new Map(results.map((row) => [row.task_uuid, row.status]));
}
