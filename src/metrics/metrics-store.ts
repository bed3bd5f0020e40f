// The fleet-wide metrics, kept in D1 beside the task index: every task object adds its deltas here,
// so GET /metrics is true across all objects and isolates. Each delta carries the task's push
// sequence number and is applied at most once: a push retried after a lost reply changes nothing.
import { DURATION_BUCKETS_MS, type MetricCounter, type MetricsDelta } from "../core/metrics-delta";
import { jsonRowChunks } from "../d1/json-row-chunks";

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
const UNAPPLIED = "NOT EXISTS (SELECT 1 FROM metric_push WHERE task_uuid = ? AND seq >= ?)";

/**
 * The statements that apply one push, for a batch (one transaction). A push already applied (or
 * superseded) makes every statement a no-op. A table's rows go in as one JSON parameter per statement
 * (see D1_MAX_JSON_PARAMETER_CHARS): a task's end pushes a counter per name and a histogram row per step,
 * and each statement counts against D1's queries per invocation.
 */
export function metricsPushStatements(db: D1Database, push: MetricsPush): D1PreparedStatement[] {
	const guard = [push.taskUuid, push.seq] as const;
	const counters = Object.entries(push.delta.counters).filter(([, by]) => by !== undefined);
	const durations = push.delta.durations.map((d) => [d.step, ...d.buckets, d.sumMs, d.count]);
	const statements: D1PreparedStatement[] = [];
	if (counters.length > 0) {
		statements.push(
			db
				.prepare(
					`INSERT INTO metric_counter (name, namespace, task, value)
					SELECT c.key, ?, ?, c.value FROM json_each(?) c WHERE ${UNAPPLIED}
					ON CONFLICT (name, namespace, task) DO UPDATE SET value = value + excluded.value`,
				)
				.bind(push.namespace, push.task, JSON.stringify(Object.fromEntries(counters)), ...guard),
		);
	}
	for (const rows of jsonRowChunks(durations)) {
		statements.push(db.prepare(DURATION_UPSERT).bind(push.namespace, push.task, rows, ...guard));
	}
	statements.push(
		db
			.prepare(
				`INSERT INTO metric_push (task_uuid, seq) VALUES (?, ?)
				ON CONFLICT (task_uuid) DO UPDATE SET seq = max(seq, excluded.seq)`,
			)
			.bind(...guard),
	);
	return statements;
}

/** A histogram row per step, read from JSON arrays [step, b0 … bN, sum_ms, count], added on conflict. */
const DURATION_UPSERT = `INSERT INTO step_duration (namespace, task, step, ${BUCKET_COLUMNS.join(", ")}, sum_ms, count)
	SELECT ?, ?, json_extract(d.value, '$[0]'), ${BUCKET_COLUMNS.map((_, i) => `json_extract(d.value, '$[${i + 1}]')`).join(", ")},
		json_extract(d.value, '$[${BUCKET_COLUMNS.length + 1}]'), json_extract(d.value, '$[${BUCKET_COLUMNS.length + 2}]')
	FROM json_each(?) d WHERE ${UNAPPLIED}
	ON CONFLICT (namespace, task, step) DO UPDATE SET
		${[...BUCKET_COLUMNS, "sum_ms", "count"].map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`;

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
