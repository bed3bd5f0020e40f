// Renders the fleet-wide metrics in the Prometheus text exposition format (version 0.0.4).
import { DURATION_BUCKETS_MS, METRIC_COUNTERS, type MetricCounter } from "../core/metrics-delta";
import {
	type CounterRow,
	type DurationRow,
	MESSAGE_COUNTERS,
	type MessageCounter,
	type MessageCounterRow,
} from "./metrics-store";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const HELP: Record<MetricCounter, string> = {
	tasks_created: "Tasks created.",
	tasks_completed: "Tasks that reached complete.",
	tasks_failed: "Tasks that reached error (a task resumed by an operator and finished again counts again).",
	tasks_cancelled: "Tasks cancelled.",
	steps_dispatched: "Step attempts dispatched: sent to a queue or handed straight to a consumer.",
	steps_succeeded: "Step attempts that completed (manual completions included).",
	steps_failed: "Step attempts that failed permanently: no retry left, or not retryable.",
	steps_retried: "Step attempts that failed and were scheduled to run again.",
	results_dropped: "Results acknowledged and dropped: duplicate, stale attempt, or task already finished.",
	waits_started:
		"Steps that started waiting (wait_for_event, sleep); those waiting now are waits_started - waits_ended.",
	waits_ended:
		"Waiting steps that stopped waiting: their event came, they woke, timed out or were cancelled.",
	claims_dropped:
		"Deliveries refused at claim time (attempt finished or superseded): their handler never ran.",
};

const MESSAGE_HELP: Record<MessageCounter, string> = {
	messages_malformed: "Queue messages that were not step messages: acked, logged and dropped, by queue.",
};

const DURATION = "tasker_step_duration_seconds";
const WAITING = "tasker_steps_waiting";

export function renderPrometheus(
	counters: readonly CounterRow[],
	durations: readonly DurationRow[],
	messages: readonly MessageCounterRow[] = [],
): string {
	const lines: string[] = [];
	for (const name of MESSAGE_COUNTERS) {
		const metric = `tasker_${name}_total`;
		lines.push(`# HELP ${metric} ${MESSAGE_HELP[name]}`, `# TYPE ${metric} counter`);
		for (const row of messages) {
			if (row.name === name) lines.push(`${metric}${labels({ queue: row.queue })} ${row.value}`);
		}
	}
	for (const name of METRIC_COUNTERS) {
		const metric = `tasker_${name}_total`;
		lines.push(`# HELP ${metric} ${HELP[name]}`, `# TYPE ${metric} counter`);
		for (const row of counters) {
			if (row.name === name)
				lines.push(`${metric}${labels({ namespace: row.namespace, task: row.task })} ${row.value}`);
		}
	}
	// Waiting now, fleet-wide: what started waiting less what stopped. A task pushes its metrics as a step
	// starts waiting (fleet-sync.ts), so the gauge does not lag a long wait.
	lines.push(
		`# HELP ${WAITING} Steps waiting now for an event or a time (waits_started - waits_ended), by namespace and task.`,
		`# TYPE ${WAITING} gauge`,
	);
	const waiting = new Map<string, { namespace: string; task: string; value: number }>();
	for (const row of counters) {
		const sign = row.name === "waits_started" ? 1 : row.name === "waits_ended" ? -1 : 0;
		if (sign === 0) continue;
		const key = `${row.namespace}\u0000${row.task}`;
		const entry = waiting.get(key) ?? { namespace: row.namespace, task: row.task, value: 0 };
		entry.value += sign * row.value;
		waiting.set(key, entry);
	}
	for (const entry of waiting.values()) {
		lines.push(
			`${WAITING}${labels({ namespace: entry.namespace, task: entry.task })} ${Math.max(0, entry.value)}`,
		);
	}
	lines.push(
		`# HELP ${DURATION} Handler execution time of each step attempt with a result, by namespace, task and step.`,
		`# TYPE ${DURATION} histogram`,
	);
	for (const row of durations) {
		const base = { namespace: row.namespace, task: row.task, step: row.step };
		let cumulative = 0;
		DURATION_BUCKETS_MS.forEach((boundMs, i) => {
			cumulative += row.buckets[i] ?? 0;
			lines.push(`${DURATION}_bucket${labels({ ...base, le: String(boundMs / 1_000) })} ${cumulative}`);
		});
		lines.push(`${DURATION}_bucket${labels({ ...base, le: "+Inf" })} ${row.count}`);
		lines.push(`${DURATION}_sum${labels(base)} ${row.sumMs / 1_000}`);
		lines.push(`${DURATION}_count${labels(base)} ${row.count}`);
	}
	return `${lines.join("\n")}\n`;
}

function labels(values: Record<string, string>): string {
	const pairs = Object.entries(values).map(([key, value]) => `${key}="${escapeLabel(value)}"`);
	return `{${pairs.join(",")}}`;
}

/** Label values escape backslash, double quote and newline, as the format requires. */
export function escapeLabel(value: string): string {
	return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
