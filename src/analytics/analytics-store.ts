// The analytics in D1 (binding TASK_INDEX): one row per step execution, pushed by the task objects with
// their metrics (exactly once: keyed by task and transition), and the queries behind
// GET /v1/analytics/performance and /bottlenecks, over these rows and the task index. Nothing here
// visits a task object. The table is created by the D1 migrations (migrations/0002_step_execution.sql).
import type { StepExecution } from "../core/step-executions";
import { jsonElements, jsonRowChunks } from "../d1/json-row-chunks";

export interface TaskIdentityForAnalytics {
	taskUuid: string;
	namespace: string;
	name: string;
	version: string;
}

/** One task's executions, as a push carries them. */
export interface TaskExecutions {
	task: TaskIdentityForAnalytics;
	executions: readonly StepExecution[];
}

/**
 * Inserts of any number of tasks' executions, for a batch once the schema exists: their rows as one JSON
 * parameter per statement (see D1_MAX_JSON_PARAMETER_CHARS), so tasks of thousands of steps are still a
 * few statements. A repeated row is a no-op.
 */
export function stepExecutionInserts(
	db: D1Database,
	batches: readonly TaskExecutions[],
): D1PreparedStatement[] {
	const rows = batches.flatMap(({ task, executions }) =>
		executions.map((e) => [
			task.taskUuid,
			e.seq,
			task.namespace,
			task.name,
			task.version,
			e.stepName,
			e.attempt,
			e.outcome,
			e.durationMs,
			e.at,
		]),
	);
	return jsonRowChunks(rows).map((chunk) =>
		db
			.prepare(
				`INSERT INTO step_execution (task_uuid, seq, namespace, task_name, version, step_name, attempt, outcome,
					duration_ms, at)
				SELECT ${jsonElements("e", 10)}
				FROM json_each(?) e WHERE true
				ON CONFLICT DO NOTHING`,
			)
			.bind(chunk),
	);
}

const TERMINAL = "('complete', 'error', 'cancelled')";

export interface PerformanceFigures {
	totalTasks: number;
	activeTasks: number;
	createdInWindow: number;
	/** The first task's creation in the window, if any. */
	firstCreatedAt: number | null;
	completedTasks: number;
	failedTasks: number;
	cancelledTasks: number;
	avgTaskDurationMs: number | null;
	taskDurationsMs: { p50: number | null; p95: number | null; p99: number | null };
	stepExecutions: number;
	stepErrors: number;
	stepRetries: number;
	avgStepDurationMs: number | null;
	stepDurationsMs: { p50: number | null; p95: number | null; p99: number | null };
}

/** Tasks created since `since` (and all tasks, for the totals), with step executions recorded since then. */
export async function performanceFigures(db: D1Database, since: number): Promise<PerformanceFigures> {
	const [totals, window, steps] = await db.batch<Record<string, unknown>>([
		db.prepare(`SELECT COUNT(*) AS total, SUM(status NOT IN ${TERMINAL}) AS active FROM task_index`),
		db
			.prepare(
				`SELECT COUNT(*) AS created, SUM(status = 'complete') AS completed, SUM(status = 'error') AS failed,
					SUM(status = 'cancelled') AS cancelled,
					AVG(CASE WHEN status = 'complete' THEN completed_at - created_at END) AS avg_ms, MIN(created_at) AS first_at
				FROM task_index WHERE created_at >= ?`,
			)
			.bind(since),
		db
			.prepare(
				`SELECT COUNT(*) AS executions, SUM(outcome != 'complete') AS errors, SUM(outcome = 'retry') AS retries,
					AVG(duration_ms) AS avg_ms FROM step_execution WHERE at >= ?`,
			)
			.bind(since),
	]);
	const t = totals?.results?.[0] ?? {};
	const w = window?.results?.[0] ?? {};
	const s = steps?.results?.[0] ?? {};
	const [taskDurationsMs, stepDurationsMs] = await Promise.all([
		percentiles(
			db,
			"SELECT completed_at - created_at AS v FROM task_index WHERE created_at >= ? AND status = 'complete'",
			since,
		),
		percentiles(db, "SELECT duration_ms AS v FROM step_execution WHERE at >= ?", since),
	]);
	return {
		totalTasks: num(t.total),
		activeTasks: num(t.active),
		createdInWindow: num(w.created),
		firstCreatedAt: numOrNull(w.first_at),
		completedTasks: num(w.completed),
		failedTasks: num(w.failed),
		cancelledTasks: num(w.cancelled),
		avgTaskDurationMs: numOrNull(w.avg_ms),
		taskDurationsMs,
		stepExecutions: num(s.executions),
		stepErrors: num(s.errors),
		stepRetries: num(s.retries),
		avgStepDurationMs: numOrNull(s.avg_ms),
		stepDurationsMs,
	};
}

export interface SlowStepRow {
	namespace: string;
	taskName: string;
	version: string;
	stepName: string;
	avgMs: number;
	maxMs: number;
	executions: number;
	errors: number;
	retries: number;
	p95Ms: number | null;
	lastAt: number;
}

export interface SlowTaskRow {
	namespace: string;
	taskName: string;
	version: string;
	avgMs: number;
	maxMs: number;
	executions: number;
	avgStepCount: number;
	errors: number;
	lastAt: number;
	p95Ms: number | null;
}

/** The slowest steps and templates (by mean duration) with at least `minExecutions` runs since `since`. */
export async function slowest(
	db: D1Database,
	since: number,
	limit: number,
	minExecutions: number,
): Promise<{ steps: SlowStepRow[]; tasks: SlowTaskRow[]; stateCounts: Record<string, number> }> {
	const [steps, tasks, states] = await db.batch<Record<string, unknown>>([
		db
			.prepare(
				`SELECT namespace, task_name, version, step_name, AVG(duration_ms) AS avg_ms, MAX(duration_ms) AS max_ms,
					COUNT(*) AS executions, SUM(outcome != 'complete') AS errors, SUM(outcome = 'retry') AS retries,
					MAX(at) AS last_at
				FROM step_execution WHERE at >= ? GROUP BY namespace, task_name, version, step_name
				HAVING COUNT(*) >= ? ORDER BY avg_ms DESC LIMIT ?`,
			)
			.bind(since, minExecutions, limit),
		db
			.prepare(
				`SELECT t.namespace, t.name AS task_name, t.version, AVG(t.completed_at - t.created_at) AS avg_ms,
					MAX(t.completed_at - t.created_at) AS max_ms, COUNT(*) AS executions,
					SUM(t.status = 'error') AS errors, MAX(t.completed_at) AS last_at,
					(SELECT COUNT(DISTINCT e.task_uuid || '/' || e.step_name) FROM step_execution e
						JOIN task_index i ON i.task_uuid = e.task_uuid
						WHERE i.namespace = t.namespace AND i.name = t.name AND i.version = t.version
							AND i.completed_at IS NOT NULL AND i.created_at >= ?) AS steps_seen
				FROM task_index t WHERE t.completed_at IS NOT NULL AND t.created_at >= ?
				GROUP BY t.namespace, t.name, t.version HAVING COUNT(*) >= ? ORDER BY avg_ms DESC LIMIT ?`,
			)
			.bind(since, since, minExecutions, limit),
		db.prepare("SELECT status, COUNT(*) AS n FROM task_index GROUP BY status"),
	]);
	const stepRows = (steps?.results ?? []).map(
		(r): SlowStepRow => ({
			namespace: String(r.namespace),
			taskName: String(r.task_name),
			version: String(r.version),
			stepName: String(r.step_name),
			avgMs: num(r.avg_ms),
			maxMs: num(r.max_ms),
			executions: num(r.executions),
			errors: num(r.errors),
			retries: num(r.retries),
			p95Ms: null,
			lastAt: num(r.last_at),
		}),
	);
	const taskRows = (tasks?.results ?? []).map(
		(r): SlowTaskRow => ({
			namespace: String(r.namespace),
			taskName: String(r.task_name),
			version: String(r.version),
			avgMs: num(r.avg_ms),
			maxMs: num(r.max_ms),
			executions: num(r.executions),
			avgStepCount: num(r.executions) === 0 ? 0 : num(r.steps_seen) / num(r.executions),
			errors: num(r.errors),
			lastAt: num(r.last_at),
			p95Ms: null,
		}),
	);
	// The 95th percentile of each row shown (few rows: one small query each).
	await Promise.all([
		...stepRows.map(async (row) => {
			row.p95Ms = (
				await percentiles(
					db,
					`SELECT duration_ms AS v FROM step_execution WHERE at >= ? AND namespace = ? AND task_name = ?
						AND version = ? AND step_name = ?`,
					since,
					row.namespace,
					row.taskName,
					row.version,
					row.stepName,
				)
			).p95;
		}),
		...taskRows.map(async (row) => {
			row.p95Ms = (
				await percentiles(
					db,
					`SELECT completed_at - created_at AS v FROM task_index WHERE created_at >= ? AND completed_at IS NOT NULL
						AND namespace = ? AND name = ? AND version = ?`,
					since,
					row.namespace,
					row.taskName,
					row.version,
				)
			).p95;
		}),
	]);
	const stateCounts: Record<string, number> = {};
	for (const r of states?.results ?? []) stateCounts[String(r.status)] = num(r.n);
	return { steps: stepRows, tasks: taskRows, stateCounts };
}

/**
 * Nearest-rank percentiles of the values a query selects (as `v`), each found by SQLite with an ordered
 * OFFSET: no value list crosses the wire.
 */
async function percentiles(
	db: D1Database,
	select: string,
	...binds: unknown[]
): Promise<{ p50: number | null; p95: number | null; p99: number | null }> {
	const count = await db
		.prepare(`SELECT COUNT(*) AS n FROM (${select})`)
		.bind(...binds)
		.first<{ n: number }>();
	const n = num(count?.n);
	if (n === 0) return { p50: null, p95: null, p99: null };
	const rank = (p: number) => Math.max(0, Math.ceil(p * n) - 1);
	const [a, b, c] = await db.batch<{ v: number }>(
		[0.5, 0.95, 0.99].map((p) =>
			db.prepare(`SELECT v FROM (${select}) ORDER BY v LIMIT 1 OFFSET ?`).bind(...binds, rank(p)),
		),
	);
	const at = (r: D1Result<{ v: number }> | undefined) => numOrNull(r?.results?.[0]?.v);
	return { p50: at(a), p95: at(b), p99: at(c) };
}

function num(value: unknown): number {
	const n = Number(value ?? 0);
	return Number.isFinite(n) ? n : 0;
}

function numOrNull(value: unknown): number | null {
	return value === null || value === undefined ? null : num(value);
}
