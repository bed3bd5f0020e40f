// A dead letter: a step message the queue gave up on after its max_retries deliveries (no consumer
// could acknowledge it: the task object was unreachable each time, or the handler crashed its
// consumer). It becomes a permanent failure of that attempt, never a silent loss, fenced like a
// result: only the current attempt of a step in flight is failed; a late or duplicate dead letter
// (the attempt already finished, timed out or was superseded) is acknowledged, dropped and counted.
import { applyFailure } from "./apply-failure";
import { DlqReason, newDlqEntry } from "./dlq-entry";
import { attemptFence, type DropReason } from "./drop-reason";
import type { StepState, TaskState } from "./states";
import type { SerializedStepError } from "./step-outcome";
import { clearOwed, settleTask } from "./task-mutations";
import type { TaskStore } from "./task-store";

export const DELIVERY_EXHAUSTED_ERROR_TYPE = "delivery_exhausted";
export const DELIVERY_EXHAUSTED_CODE = "DELIVERY_EXHAUSTED";

export interface DeadLetterInfo {
	/** How many times the queue delivered the message before giving up (`message.attempts`), if known. */
	deliveries: number | null;
	/** The queue it was dead-lettered from, if known. */
	queue: string | null;
}

export type DeadLetterOutcome =
	| { kind: "applied"; stepState: StepState; taskStatus: TaskState; dlqEntryUuid: string }
	| { kind: "dropped"; reason: DropReason };

export function recordDeadLetter(
	store: TaskStore,
	stepUuid: string,
	attempt: number,
	info: DeadLetterInfo,
	now: number,
	newId: () => string,
): DeadLetterOutcome {
	const task = store.loadTask();
	if (!task) return { kind: "dropped", reason: "unknown_task" };
	const step = store.getStep(stepUuid);
	const reason = attemptFence(task, step, attempt);
	if (reason !== null || !step) {
		task.stats.deadLettersDropped += 1;
		task.stats.resultsDropped += 1;
		store.saveTask(task);
		return { kind: "dropped", reason: reason ?? "unknown_step" };
	}

	const originalState = task.status;
	clearOwed(task, step);
	task.stats.deadLetters += 1;
	const error = deliveryExhausted(step.name, attempt, info);
	// Not retryable: the queue already redelivered it max_retries times; another attempt would most
	// likely meet the same fate, and an operator can still reset the step for retry.
	applyFailure(store, task, step, error, 0, now, 0);
	settleTask(store, task, now);
	const entry = newDlqEntry(task, store.listSteps(), {
		uuid: newId(),
		originalState,
		reason: DlqReason.workerUnavailable,
		now,
		metadata: {
			step_uuid: step.stepUuid,
			step_name: step.name,
			attempt,
			deliveries: info.deliveries,
			queue: info.queue,
			message: error.message,
		},
	});
	store.stageDlqEntry(entry);
	return {
		kind: "applied",
		stepState: step.state,
		taskStatus: task.status,
		dlqEntryUuid: entry.dlq_entry_uuid,
	};
}

function deliveryExhausted(stepName: string, attempt: number, info: DeadLetterInfo): SerializedStepError {
	const times = info.deliveries === null ? "" : ` after ${info.deliveries} deliveries`;
	return {
		name: "DeliveryExhaustedError",
		error_type: DELIVERY_EXHAUSTED_ERROR_TYPE,
		error_code: DELIVERY_EXHAUSTED_CODE,
		message: `the queue gave up on attempt ${attempt} of step "${stepName}"${times}: no consumer could run it and report back (its consumer kept crashing, or the task object was unreachable); recorded as a permanent failure`,
		retryable: false,
		retry_after_seconds: null,
		metadata: { deliveries: info.deliveries, queue: info.queue },
	};
}
