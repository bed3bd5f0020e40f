// What the alarm does, and how sends are confirmed. The alarm is the safety net of the outbox: it
// ends a task that has gone stale (lifecycle thresholds), times out every running attempt past its deadline, re-sends every dispatch still owed and starts
// every retry whose backoff has run out. It may fire
// twice or late: each pass only acts on what is due at that moment, so repeating it is harmless.

import { claimDeadline } from "./claim-window";
import { expireIfStale, type StaleOutcome } from "./staleness";
import { isTerminalTaskState, StepState } from "./states";
import type { EngineEffects, StepMessage } from "./step-message";
import { stepMessage } from "./step-message";
import { timeOutExpiredAttempts } from "./step-timeout";
import { clearOwed, markOwed, nextWakeAt, settleTask } from "./task-mutations";
import type { TaskRecord } from "./task-records";
import { mayStartSteps } from "./task-status";
import type { TaskStore } from "./task-store";
import { runDueWaits } from "./wait-due";
import { startStep } from "./wait-start";

/** Steps handled per alarm pass; more simply make the alarm due again at once. */
export const MAX_DUE_PER_PASS = 1_000;

export interface DueWorkEffects extends EngineEffects {
	/** Set when this pass found the task stale and ended it in `error`. */
	stale: StaleOutcome | null;
}

/**
 * @param random the backoff jitter source for attempts timed out in this pass (passed in: the core stays deterministic)
 * @param newId ids for the DLQ entry a stale task gets
 */
export function runDueWork(
	store: TaskStore,
	now: number,
	sendGraceMs: number,
	random: () => number,
	newId: () => string,
): DueWorkEffects {
	const task = store.loadTask();
	if (!task || isTerminalTaskState(task.status)) return { dispatches: [], wakeAt: null, stale: null };
	// Staleness first: a task past its thresholds ends here, and nothing of it is dispatched any more.
	const stale = expireIfStale(store, task, now, newId);
	if (stale) return { dispatches: [], wakeAt: null, stale };
	// Timeouts first: a retry they schedule with no backoff starts in this same pass.
	timeOutExpiredAttempts(store, task, now, MAX_DUE_PER_PASS, random);
	const dispatches: StepMessage[] = resendUnclaimed(store, task, now, sendGraceMs);
	// Waits whose time has come: sleeps wake, event waits take a kept event or time out.
	dispatches.push(...runDueWaits(store, task, now, MAX_DUE_PER_PASS, sendGraceMs, random));
	for (const step of store.dispatchesDue(now, MAX_DUE_PER_PASS)) {
		// Re-arm before sending: if this send is lost with the object, a later pass sends it again.
		markOwed(task, step, now + sendGraceMs);
		store.saveStep(step);
		dispatches.push(stepMessage(task, step));
	}
	if (mayStartSteps(task)) {
		for (const step of store.retriesDue(now, MAX_DUE_PER_PASS - dispatches.length)) {
			const started = startStep(store, task, step, now, now + sendGraceMs);
			if (started.message) dispatches.push(started.message);
		}
	}
	settleTask(store, task, now);
	return { dispatches, wakeAt: nextWakeAt(store, task), stale: null };
}

/**
 * Sent steps that no consumer claimed within their claim window: their message was lost (see
 * claim-window.ts). The same attempt is saved as owed again and sent in this pass.
 */
function resendUnclaimed(
	store: TaskStore,
	task: TaskRecord,
	now: number,
	sendGraceMs: number,
): StepMessage[] {
	const resent: StepMessage[] = [];
	for (const step of store.deadlinesDue(now, MAX_DUE_PER_PASS)) {
		if (step.state !== StepState.enqueued || step.dispatchDueAt !== null) continue;
		step.deadlineAt = null;
		markOwed(task, step, now + sendGraceMs);
		store.saveStep(step);
		task.stats.unclaimedResends += 1;
		resent.push(stepMessage(task, step));
	}
	return resent;
}

/**
 * The queue accepted these messages (in `batches` sendBatch calls): they are no longer owed, and
 * each must now be claimed within its claim window, or the alarm sends it again.
 */
export function confirmDispatched(
	store: TaskStore,
	sent: readonly StepMessage[],
	batches: number,
	now: number,
): void {
	const task = store.loadTask();
	if (!task) return;
	task.stats.sendBatches += batches;
	task.stats.messagesSent += sent.length;
	for (const message of sent) {
		const step = store.getStep(message.step_uuid);
		// The step may have moved on meanwhile (claimed, finished, retried): only clear this attempt's debt.
		if (!step || step.attempt !== message.attempt || step.dispatchDueAt === null) continue;
		// Counted from when the send was due, on the engine's clock (an alarm acts as of its scheduled time),
		// and as long as the attempt has waited so far: a step's `updatedAt` is when it last changed
		// state, and only a new attempt (or a claim) moves an enqueued step, never a re-send.
		const sendDueAt = step.dispatchDueAt;
		clearOwed(task, step);
		if (step.state === StepState.enqueued) step.deadlineAt = claimDeadline(step.updatedAt, sendDueAt);
		store.saveStep(step);
	}
	settleTask(store, task, now);
}

/** The send failed: the messages stay owed and are retried by the alarm after `retryInMs`. */
export function dispatchFailed(
	store: TaskStore,
	failed: readonly StepMessage[],
	now: number,
	retryInMs: number,
): number | null {
	const task = store.loadTask();
	if (!task) return null;
	task.stats.sendFailures += 1;
	for (const message of failed) {
		const step = store.getStep(message.step_uuid);
		if (!step || step.attempt !== message.attempt || step.dispatchDueAt === null) continue;
		step.dispatchDueAt = now + retryInMs;
		store.saveStep(step);
	}
	settleTask(store, task, now);
	return isTerminalTaskState(task.status) ? null : now + retryInMs;
}
