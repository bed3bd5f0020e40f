// The fleet-wide metrics, kept in D1 beside the task index: every task object adds its deltas here,
// so GET /metrics is true across all objects and isolates. Each delta carries the task's push
// sequence number and is applied at most once: a push retried after a lost reply changes nothing.
import { DURATION_BUCKETS_MS, type MetricCounter, type MetricsDelta } from "../core/metrics-delta";
import { D1_MAX_BOUND_PARAMETERS } from "../limits";

/** The histogram's bucket columns: b0 … bN, the last one unbounded. */
const BUCKET_COLUMNS = Array.from({ length: DURATION_BUCKETS_MS.length + 1 }, (_, i) => `b${i}`);

// The tables (metric_counter, step_duration with one column per bucket, metric_push, message_counter)
// are created by the D1 migrations (migrations/), applied before the Worker runs.

export interface MetricsPush {
	taskUuid: string;
	namespace: string;
	task: string;
	/** The task's push number, from 1: a delta is applied only if its (task, seq) was never applied. */
	seq: number;
	delta: MetricsDelta;
}

/** Not yet applied: every statement of a push is guarded by this, and the push row is written last. */
const UNAPPLIED = "WHERE NOT EXISTS (SELECT 1 FROM metric_push WHERE task_uuid = ? AND seq >= ?)";

/** The guard's parameters, in every statement besides the rows' own. */
const GUARD_PARAMETERS = 2;

const DURATION_COLUMNS = ["namespace", "task", "step", ...BUCKET_COLUMNS, "sum_ms", "count"];
const COUNTER_COLUMNS = ["name", "namespace", "task", "value"];

/**
 * The statements that apply one push, for a batch (one transaction). A push already applied (or
 * superseded) makes every statement a no-op. Rows of one table go in as few statements as the
 * parameter limit allows (a task's end pushes a counter per name and a histogram row per step): each
 * statement of a batch costs D1 work of its own, and a push is on every task's path.
 */
export function metricsPushStatements(db: D1Database, push: MetricsPush): D1PreparedStatement[] {
	const guard = [push.taskUuid, push.seq] as const;
	const counters = Object.entries(push.delta.counters).map(([name, by]) => [
		name,
		push.namespace,
		push.task,
		by,
	]);
	const durations = push.delta.durations.map((d) => [
		push.namespace,
		push.task,
		d.step,
		...d.buckets,
		d.sumMs,
		d.count,
	]);
	return [
		...guardedUpserts(db, "metric_counter", COUNTER_COLUMNS, counters, guard, "(name, namespace, task)", [
			"value",
		]),
		...guardedUpserts(db, "step_duration", DURATION_COLUMNS, durations, guard, "(namespace, task, step)", [
			...BUCKET_COLUMNS,
			"sum_ms",
			"count",
		]),
		db
			.prepare(
				`INSERT INTO metric_push (task_uuid, seq) VALUES (?, ?)
				ON CONFLICT (task_uuid) DO UPDATE SET seq = max(seq, excluded.seq)`,
			)
			.bind(...guard),
	];
}

/**
 * Rows added to `table`'s counting columns (`added`) on conflict, unless the push was applied: as many
 * rows per statement as the parameter limit allows. (The WHERE of the guard is also what lets SQLite
 * read `ON CONFLICT` after an INSERT … SELECT as the upsert clause.)
 */
function guardedUpserts(
	db: D1Database,
	table: string,
	columns: readonly string[],
	rows: ReadonlyArray<ReadonlyArray<SqlValue>>,
	guard: readonly [string, number],
	conflictTarget: string,
	added: readonly string[],
): D1PreparedStatement[] {
	const perStatement = Math.floor((D1_MAX_BOUND_PARAMETERS - GUARD_PARAMETERS) / columns.length);
	const tuple = `(${columns.map(() => "?").join(", ")})`;
	const selected = columns.map((_, i) => `column${i + 1}`).join(", ");
	const statements: D1PreparedStatement[] = [];
	for (let i = 0; i < rows.length; i += perStatement) {
		const chunk = rows.slice(i, i + perStatement);
		statements.push(
			db
				.prepare(
					`INSERT INTO ${table} (${columns.join(", ")})
					SELECT ${selected} FROM (VALUES ${chunk.map(() => tuple).join(", ")}) ${UNAPPLIED}
					ON CONFLICT ${conflictTarget} DO UPDATE SET ${added.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`,
				)
				.bind(...chunk.flat(), ...guard),
		);
	}
	return statements;
}

type SqlValue = string | number;

export interface CounterRow {
	name: MetricCounter;
	namespace: string;
	task: string;
	value: number;
}

export interface DurationRow {
	namespace: string;
	task: string;
	step: string;
	/** Per bucket, not cumulative; the last is the unbounded bucket. */
	buckets: number[];
	sumMs: number;
	count: number;
}

/** The consumers' own counters, by queue. */
export const MESSAGE_COUNTERS = ["messages_malformed"] as const;
export type MessageCounter = (typeof MESSAGE_COUNTERS)[number];

export interface MessageCounterRow {
	name: MessageCounter;
	queue: string;
	value: number;
}

/**
 * Adds to a consumer's counter. Not deduplicated, unlike a task's push: a redelivered batch counts
 * its malformed messages again, which is acceptable for a counter of rare events that are acked at once.
 */
export async function addMessageCount(db: D1Database, name: MessageCounter, queue: string, by: number) {
	await db
		.prepare(
			`INSERT INTO message_counter (name, queue, value) VALUES (?, ?, ?)
			ON CONFLICT (name, queue) DO UPDATE SET value = value + excluded.value`,
		)
		.bind(name, queue, by)
		.run();
}

export async function readMetrics(
	db: D1Database,
): Promise<{ counters: CounterRow[]; durations: DurationRow[]; messages: MessageCounterRow[] }> {
	const [counters, durations, messages] = await db.batch<Record<string, unknown>>([
		db.prepare("SELECT name, namespace, task, value FROM metric_counter ORDER BY name, namespace, task"),
		db.prepare("SELECT * FROM step_duration ORDER BY namespace, task, step"),
		db.prepare("SELECT name, queue, value FROM message_counter ORDER BY name, queue"),
	]);
	return {
		messages: (messages?.results ?? []).map((row) => ({
			name: String(row.name) as MessageCounter,
			queue: String(row.queue),
			value: Number(row.value),
		})),
		counters: (counters?.results ?? []).map((row) => ({
			name: String(row.name) as MetricCounter,
			namespace: String(row.namespace),
			task: String(row.task),
			value: Number(row.value),
		})),
		durations: (durations?.results ?? []).map((row) => ({
			namespace: String(row.namespace),
			task: String(row.task),
			step: String(row.step),
			buckets: BUCKET_COLUMNS.map((column) => Number(row[column])),
			sumMs: Number(row.sum_ms),
			count: Number(row.count),
		})),
	};
}
