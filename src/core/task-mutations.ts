// The few primitive state changes every engine operation is made of. Each keeps the task's step
// counters and the append-only transition log in step with the row it changes.
import { isTerminalTaskState, type StepState } from "./states";
import type { StepRecord, TaskRecord } from "./task-records";
import { deriveTaskStatus, mayStartSteps } from "./task-status";
import type { TaskStore } from "./task-store";

export function moveStep(
	store: TaskStore,
	task: TaskRecord,
	step: StepRecord,
	to: StepState,
	now: number,
	metadata: Record<string, unknown> = {},
): void {
	const from = step.state;
	task.counts[from] -= 1;
	task.counts[to] += 1;
	step.state = to;
	step.updatedAt = now;
	store.appendTransition({
		stepUuid: step.stepUuid,
		stepName: step.name,
		fromState: from,
		toState: to,
		attempt: step.attempt,
		at: now,
		metadata,
	});
}

/**
 * Starts the next attempt of a step: saved as owed to the queue (`dispatchDueAt`) in the same
 * transaction as the decision, so that a crash before the send leads to a re-send, never a lost step.
 */
export function enqueueNextAttempt(
	store: TaskStore,
	task: TaskRecord,
	step: StepRecord,
	now: number,
	dispatchDueAt: number,
): void {
	step.attempt += 1;
	step.nextRetryAt = null;
	markOwed(task, step, dispatchDueAt);
	moveStep(store, task, step, "enqueued", now);
	store.saveStep(step);
}

export function markOwed(task: TaskRecord, step: StepRecord, dueAt: number): void {
	if (step.dispatchDueAt === null) task.pendingSends += 1;
	step.dispatchDueAt = dueAt;
}

/** The message for this attempt has reached the consumer side (sent, claimed or answered): nothing is owed. */
export function clearOwed(task: TaskRecord, step: StepRecord): void {
	if (step.dispatchDueAt === null) return;
	step.dispatchDueAt = null;
	task.pendingSends -= 1;
}

/** Re-derives the task status, logs it if it changed, and saves the task row (once per operation). */
export function settleTask(store: TaskStore, task: TaskRecord, now: number): void {
	const next = deriveTaskStatus(task);
	if (next !== task.status) {
		store.appendTransition({
			stepUuid: null,
			stepName: null,
			fromState: task.status,
			toState: next,
			attempt: null,
			at: now,
			metadata: {},
		});
		task.status = next;
		if (isTerminalTaskState(next)) task.completedAt = now;
	}
	task.updatedAt = now;
	store.saveTask(task);
}

/** When the alarm must next run: owed sends always; retries only while new steps may still start. */
export function nextWakeAt(store: TaskStore, task: TaskRecord): number | null {
	if (isTerminalTaskState(task.status)) return null;
	return store.nextDueAt(mayStartSteps(task));
}
