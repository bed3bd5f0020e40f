// Starting a step's next attempt, whichever kind it is: a handler's step is saved as owed to its queue
// (the outbox) and answered as a message to send; a waiting step becomes a row with a deadline and
// nothing else (no message, no consumer): `waiting_for_event` until its event or its timeout,
// `sleeping` until its wake time. Its deadline is what the alarm acts on. An event kept before the
// step waited makes the deadline now: the alarm pass delivers it at once.
import { applyFailure } from "./apply-failure";
import { StepState } from "./states";
import { type StepMessage, stepMessage } from "./step-message";
import { enqueueNextAttempt, moveStep } from "./task-mutations";
import type { StepRecord, TaskRecord } from "./task-records";
import type { TaskStore } from "./task-store";
import { keptEventFor } from "./wait-match";
import { readDotPath, type SleepWait, waitOf } from "./wait-spec";

export interface StepStart {
	/** The queue message to send (a handler's step), or null (a waiting step). */
	message: StepMessage | null;
	/** When the alarm must act for this step (a wait's deadline), or null. */
	wakeAt: number | null;
}

export function startStep(
	store: TaskStore,
	task: TaskRecord,
	step: StepRecord,
	now: number,
	dispatchDueAt: number,
): StepStart {
	const wait = waitOf(step);
	if (wait === null) {
		enqueueNextAttempt(store, task, step, now, dispatchDueAt);
		return { message: stepMessage(task, step), wakeAt: null };
	}
	step.attempt += 1;
	step.nextRetryAt = null;
	step.lastAttemptedAt = now;
	if (wait.kind === "event") {
		moveStep(store, task, step, StepState.waitingForEvent, now, { event: wait.name });
		const kept = keptEventFor(store, task, wait);
		step.deadlineAt = kept ? now : now + wait.timeoutSeconds * 1_000;
		store.saveStep(step);
		return { message: null, wakeAt: step.deadlineAt };
	}
	const wakeAt = sleepUntil(store, task, step, wait, now);
	if (typeof wakeAt === "string") {
		// A wake time that cannot be read is the template's or the data's mistake: retrying cannot fix it.
		moveStep(store, task, step, StepState.inProgress, now);
		const error = {
			name: "SleepUntilError",
			error_type: "validation_error",
			error_code: "SLEEP_UNTIL_INVALID",
			message: wakeAt,
			retryable: false,
			retry_after_seconds: null,
			metadata: { until: wait.until },
		};
		applyFailure(store, task, step, error, 0, now, 0);
		return { message: null, wakeAt: null };
	}
	moveStep(store, task, step, StepState.sleeping, now, { until: new Date(wakeAt).toISOString() });
	step.deadlineAt = wakeAt;
	store.saveStep(step);
	return { message: null, wakeAt };
}

/** The sleep's wake time (epoch ms), or why it cannot be read. A time already past wakes at once. */
function sleepUntil(
	store: TaskStore,
	task: TaskRecord,
	step: StepRecord,
	wait: SleepWait,
	now: number,
): number | string {
	if (wait.until === null) return now + (wait.seconds ?? 0) * 1_000;
	const [head = "", ...rest] = wait.until.split(".");
	const source = head === "context" ? task.context : store.ancestorResults(step.idx)[head];
	const value = rest.length === 0 ? source : readDotPath(source, rest.join("."));
	const at = typeof value === "string" ? Date.parse(value) : Number.NaN;
	if (Number.isNaN(at)) {
		return `sleep.until: ${wait.until} is ${value === undefined ? "missing" : JSON.stringify(value)}, expected an ISO 8601 time such as "2026-01-20T09:00:00Z"`;
	}
	return Math.max(at, now);
}
