// The few primitive state changes every engine operation is made of. Each keeps the task's step
// counters and the append-only transition log in step with the row it changes.
import { STEP_DEADLINE_GRACE_MS } from "../limits";
import { staleAt } from "./lifecycle";
import { isTerminalTaskState, StepState } from "./states";
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
	task.progressAt = now;
	// A deadline belongs to the state it was set in (a running attempt's timeout, a sent step's claim
	// window): whatever moves the step on ends it, so a stale deadline can never act on a later attempt.
	// A claim or a hand-over starts the run's deadline after this move.
	step.deadlineAt = null;
	store.appendTransition({
		seq: ++task.transitionSeq,
		stepIdx: step.idx,
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
	moveStep(store, task, step, StepState.enqueued, now);
	store.saveStep(step);
}

/** A run of the current attempt starts now (claimed or handed over): it must report within its timeout. */
export function startDeadline(step: StepRecord, now: number): number {
	step.deadlineAt = now + step.timeoutSeconds * 1_000 + STEP_DEADLINE_GRACE_MS;
	return step.deadlineAt;
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

/**
 * Re-derives the task status, logs it if it changed (with `metadata` saying why, when the caller
 * knows better than the counters), and saves the task row (once per operation).
 */
export function settleTask(
	store: TaskStore,
	task: TaskRecord,
	now: number,
	metadata: Record<string, unknown> = {},
): void {
	const next = deriveTaskStatus(task);
	if (next !== task.status) {
		task.progressAt = now;
		store.appendTransition({
			seq: ++task.transitionSeq,
			stepIdx: null,
			stepUuid: null,
			stepName: null,
			fromState: task.status,
			toState: next,
			attempt: null,
			at: now,
			metadata,
		});
		task.status = next;
		// An operator's action can bring a task back from `error`: it is then no longer completed.
		task.completedAt = isTerminalTaskState(next) ? now : null;
	}
	task.updatedAt = now;
	store.saveTask(task);
}

/**
 * When the alarm must next run, found by looking at every step: only the alarm pass does this. Other
 * operations only report the due times they create themselves (see `earliest`), because the alarm
 * is already armed no later than every due time that existed before them.
 */
export function nextWakeAt(store: TaskStore, task: TaskRecord): number | null {
	if (isTerminalTaskState(task.status)) return null;
	return earliest([store.nextDueAt(mayStartSteps(task)), staleAt(task)]);
}

/** The earliest of the due times an operation created, or null if it created none. */
export function earliest(times: ReadonlyArray<number | null>): number | null {
	const due = times.filter((t): t is number => t !== null);
	return due.length === 0 ? null : Math.min(...due);
}
