// What a task object pushes to the fleet-wide views in D1 (task index, metrics, analytics, DLQ), as plain
// data: it travels to a fleet writer by RPC, which applies many tasks' pushes in one batch (see
// durable-objects/fleet-writer.ts), or is applied alone when no writer is bound. Every statement is
// idempotent or guarded, so a push may be applied again after a lost reply: an index row never moves
// back in time, a DLQ entry or an execution is keyed, and metrics count once per (task, seq).
import {
	stepExecutionInserts,
	type TaskExecutions,
	type TaskIdentityForAnalytics,
} from "../analytics/analytics-store";
import type { DlqEntry } from "../core/dlq-entry";
import type { MetricsDelta } from "../core/metrics-delta";
import type { StepExecution } from "../core/step-executions";
import { dlqInserts } from "../dlq/dlq-store";
import { type MetricsPush, metricsPushStatements } from "../metrics/metrics-store";
import { type TaskIndexRow, taskIndexUpserts } from "../task-index/task-index";

export interface FleetPush {
	task: TaskIdentityForAnalytics;
	dlqEntries: DlqEntry[];
	/** The task's row, when its status changed since it was last pushed. */
	indexRow: TaskIndexRow | null;
	/** The staged metrics push, if any: its number for the task and its delta (the task is `task`). */
	metrics: { seq: number; delta: MetricsDelta } | null;
	executions: StepExecution[];
}

/** Whether the push has anything to write. */
export function isEmptyPush(push: FleetPush): boolean {
	return (
		push.dlqEntries.length === 0 &&
		push.indexRow === null &&
		push.metrics === null &&
		push.executions.length === 0
	);
}

/**
 * The statements that apply the pushes, for one batch (one transaction): a few per table, whatever the
 * number of pushes. A metrics push given twice (a task's retry meeting its first attempt in the same
 * group) is kept once here: its (task, seq) guard sees only what earlier statements wrote, so within one
 * statement it would not stop the repeat.
 */
export function fleetPushStatements(db: D1Database, pushes: readonly FleetPush[]): D1PreparedStatement[] {
	const seen = new Set<string>();
	const metrics: MetricsPush[] = [];
	const executions: TaskExecutions[] = [];
	for (const push of pushes) {
		if (push.metrics) {
			const { taskUuid, namespace, name } = push.task;
			const key = `${taskUuid}/${push.metrics.seq}`;
			if (seen.has(key)) continue;
			seen.add(key);
			metrics.push({ taskUuid, namespace, task: name, ...push.metrics });
		}
		executions.push({ task: push.task, executions: push.executions });
	}
	return [
		...dlqInserts(
			db,
			pushes.flatMap((push) => push.dlqEntries),
		),
		...taskIndexUpserts(
			db,
			pushes.flatMap((push) => (push.indexRow ? [push.indexRow] : [])),
		),
		...metricsPushStatements(db, metrics),
		...stepExecutionInserts(db, executions),
	];
}

/** Applies the pushes in one batch; throws if D1 refused it (nothing of it applied). */
export async function applyFleetPushes(db: D1Database, pushes: readonly FleetPush[]): Promise<void> {
	const statements = fleetPushStatements(db, pushes);
	if (statements.length > 0) await db.batch(statements);
}
