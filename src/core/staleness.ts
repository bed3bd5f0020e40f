// Staleness, checked by the alarm: a task past its lifetime, or that has not moved for longer than its
// status allows, goes to `error` (reference §5 "Staleness detection"). Its stuck steps (running,
// dispatched, waiting for a retry, or ready) fail for good with `staleness_timeout`; steps that never
// became ready stay pending, as when any step fails for good. Late results are then dropped (the task
// has finished). With `staleness_action: dlq` it also gets a DLQ entry with a snapshot.
import { type DlqEntry, DlqReason, newDlqEntry } from "./dlq-entry";
import { stalenessDeadline } from "./lifecycle";
import { StepState } from "./states";
import type { SerializedStepError } from "./step-outcome";
import { clearOwed, moveStep, settleTask } from "./task-mutations";
import type { TaskRecord } from "./task-records";
import type { TaskStore } from "./task-store";

export const STALENESS_ERROR_TYPE = "staleness_timeout";
export const STALENESS_ERROR_CODE = "TASK_STALE";

/** Steps that a stale task was still waiting on. */
const STUCK: readonly StepState[] = [
	StepState.pending,
	StepState.enqueued,
	StepState.inProgress,
	StepState.waitingForRetry,
];

export interface StaleOutcome {
	/** The thresholds field crossed, e.g. `max_duration_minutes`. */
	field: string;
	failedSteps: number;
	/** The entry staged for D1 (action `dlq`), or null. */
	entry: DlqEntry | null;
}

/** Ends the task in `error` if a threshold has passed at `now`; null (and nothing changed) otherwise. */
export function expireIfStale(
	store: TaskStore,
	task: TaskRecord,
	now: number,
	newId: () => string,
): StaleOutcome | null {
	const deadline = stalenessDeadline(task);
	if (deadline === null || now < deadline.at || task.staleness === null) return null;
	const originalState = task.status;
	const minutes = Math.round(deadline.ms / 60_000);
	const why =
		deadline.field === "max_duration_minutes"
			? `the task ran past its lifetime (${deadline.field}: ${minutes})`
			: `the task stayed ${originalState} without progress for longer than ${deadline.field} (${minutes})`;
	const detail = {
		reason: STALENESS_ERROR_TYPE,
		threshold: deadline.field,
		threshold_minutes: minutes,
		original_state: originalState,
	};
	let failedSteps = 0;
	for (const step of store.listStepsIn(STUCK)) {
		if (step.state === StepState.pending && step.unmetParents > 0) continue;
		const error = staleError(step.name, step.state, why, detail);
		clearOwed(task, step);
		step.nextRetryAt = null;
		step.lastError = error;
		step.lastFailureAt = now;
		moveStep(store, task, step, StepState.error, now, { error });
		store.saveStep(step);
		failedSteps += 1;
	}
	settleTask(store, task, now, detail);
	let entry: DlqEntry | null = null;
	if (task.staleness.action === "dlq") {
		entry = newDlqEntry(task, store.listSteps(), {
			uuid: newId(),
			originalState,
			reason: DlqReason.stalenessTimeout,
			now,
			metadata: { ...detail, message: why, failed_steps: failedSteps },
		});
		store.stageDlqEntry(entry);
	}
	return { field: deadline.field, failedSteps, entry };
}

function staleError(
	stepName: string,
	state: StepState,
	why: string,
	detail: Record<string, unknown>,
): SerializedStepError {
	return {
		name: "TaskStaleError",
		error_type: STALENESS_ERROR_TYPE,
		error_code: STALENESS_ERROR_CODE,
		message: `step "${stepName}" was ${state} when ${why}: the task went to error (an operator may reset the step for retry)`,
		retryable: false,
		retry_after_seconds: null,
		metadata: { ...detail, step_state: state },
	};
}
