// The fleet-wide metrics, kept in D1 beside the task index: every task object adds its deltas here,
// so GET /metrics is true across all objects and isolates. Each delta carries the task's push
// sequence number and is applied at most once: a push retried after a lost reply changes nothing.
import { DURATION_BUCKETS_MS, type MetricCounter, type MetricsDelta } from "../core/metrics-delta";
import { jsonElement as element, jsonRowChunks } from "../d1/json-row-chunks";

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

/**
 * Not yet applied, for a row of JSON array `alias` that starts [task_uuid, seq, ...]: every statement of
 * a push is guarded by this, and the push rows are written last, in the same batch.
 */
const unapplied = (alias: string) =>
	`NOT EXISTS (SELECT 1 FROM metric_push p WHERE p.task_uuid = ${element(alias, 0)}
		AND p.seq >= ${element(alias, 1)})`;

/**
 * The statements that apply any number of pushes (of any tasks), for a batch (one transaction). A push
 * already applied (or superseded) changes nothing. A table's rows go in as one JSON parameter per
 * statement (see D1_MAX_JSON_PARAMETER_CHARS), each row carrying its push's (task, seq) for the guard:
 * many tasks' ends are a few statements, and each statement counts against D1's queries per invocation.
 * Rows apply in order, so two pushes adding to the same counter both count. The same (task, seq) given
 * twice would count twice: the caller passes each once (see fleet-push.ts).
 */
export function metricsPushStatements(db: D1Database, pushes: readonly MetricsPush[]): D1PreparedStatement[] {
	if (pushes.length === 0) return [];
	const counters = pushes.flatMap((push) =>
		Object.entries(push.delta.counters)
			.filter(([, by]) => by !== undefined)
			.map(([name, by]) => [push.taskUuid, push.seq, name, push.namespace, push.task, by]),
	);
	const durations = pushes.flatMap((push) =>
		push.delta.durations.map((d) => [
			push.taskUuid,
			push.seq,
			push.namespace,
			push.task,
			d.step,
			...d.buckets,
			d.sumMs,
			d.count,
		]),
	);
	const pushRows = pushes.map((push) => [push.taskUuid, push.seq]);
	return [
		...jsonRowChunks(counters).map((rows) => db.prepare(COUNTER_UPSERT).bind(rows)),
		...jsonRowChunks(durations).map((rows) => db.prepare(DURATION_UPSERT).bind(rows)),
		...jsonRowChunks(pushRows).map((rows) => db.prepare(PUSH_UPSERT).bind(rows)),
	];
}

// Rows of several pushes that add to the same counter or histogram row are summed before the upsert, each
// row passing its own push's guard first: the batch writes each metric row once, however many tasks' pushes
// it holds (D1 bills and times rows written).

/** Counters from JSON arrays [task_uuid, seq, name, namespace, task, by], summed by counter, added on conflict. */
const COUNTER_UPSERT = `INSERT INTO metric_counter (name, namespace, task, value)
	SELECT n, ns, t, SUM(v) FROM (
		SELECT ${element("c", 2)} AS n, ${element("c", 3)} AS ns, ${element("c", 4)} AS t, ${element("c", 5)} AS v
		FROM json_each(?) c WHERE ${unapplied("c")}
	) WHERE true GROUP BY n, ns, t
	ON CONFLICT (name, namespace, task) DO UPDATE SET value = value + excluded.value`;

/** The histogram's summed columns: the buckets, then sum_ms and count. */
const SUMMED_COLUMNS = [...BUCKET_COLUMNS, "sum_ms", "count"];

/**
 * A histogram row per step, from JSON arrays [task_uuid, seq, namespace, task, step, b0 … bN, sum_ms,
 * count], summed by step, added on conflict.
 */
const DURATION_UPSERT = `INSERT INTO step_duration (namespace, task, step, ${SUMMED_COLUMNS.join(", ")})
	SELECT ns, t, s, ${SUMMED_COLUMNS.map((c) => `SUM(${c})`).join(", ")} FROM (
		SELECT ${element("d", 2)} AS ns, ${element("d", 3)} AS t, ${element("d", 4)} AS s,
			${SUMMED_COLUMNS.map((c, i) => `${element("d", i + 5)} AS ${c}`).join(", ")}
		FROM json_each(?) d WHERE ${unapplied("d")}
	) WHERE true GROUP BY ns, t, s
	ON CONFLICT (namespace, task, step) DO UPDATE SET
		${SUMMED_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`;

/** The pushes applied, from JSON arrays [task_uuid, seq]: a task's row keeps its highest number. */
const PUSH_UPSERT = `INSERT INTO metric_push (task_uuid, seq)
	SELECT ${element("p", 0)}, ${element("p", 1)} FROM json_each(?) p WHERE true
	ON CONFLICT (task_uuid) DO UPDATE SET seq = max(seq, excluded.seq)`;

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
