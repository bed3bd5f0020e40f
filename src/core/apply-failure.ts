// A failed attempt, whoever reports it (the handler through its consumer, or the task object itself
// when the attempt's deadline passed): retried after its backoff while the policy and the attempts
// allow it, otherwise the step fails for good.
import { retryDelayMs } from "./backoff";
import { cancelSiblings, completeDespiteFailure, failureStrategyOf } from "./batch-failure";
import { lastAllowedAttempt } from "./retry-budget";
import { StepState } from "./states";
import type { SerializedStepError } from "./step-outcome";
import { moveStep } from "./task-mutations";
import type { StepRecord, TaskRecord } from "./task-records";
import type { TaskStore } from "./task-store";

/** Moves the step to `waiting_for_retry` or `error` and saves it; returns when its retry is due, if any. */
export function applyFailure(
	store: TaskStore,
	task: TaskRecord,
	step: StepRecord,
	error: SerializedStepError,
	executionTimeMs: number,
	now: number,
	random: number,
): number | null {
	step.lastError = error;
	step.lastFailureAt = now;
	const meta = { execution_time_ms: executionTimeMs, error };
	let retryAt: number | null = null;
	if (mayRetry(step, error.retryable)) {
		const delay = retryDelayMs(step.retry, step.attempt, error.retry_after_seconds, random);
		retryAt = now + delay;
		step.nextRetryAt = retryAt;
		moveStep(store, task, step, StepState.waitingForRetry, now, { ...meta, retry_in_ms: delay });
	} else {
		const strategy = failureStrategyOf(step);
		if (strategy === "continue_on_failure") {
			completeDespiteFailure(store, task, step, error, executionTimeMs, now);
			return now;
		}
		moveStep(
			store,
			task,
			step,
			StepState.error,
			now,
			strategy === null ? meta : { ...meta, failure_strategy: strategy },
		);
		if (strategy === "fail_fast") cancelSiblings(store, task, step, now);
	}
	store.saveStep(step);
	return retryAt;
}

/** A failure is retried only if the handler says it may be, the template allows it, and attempts remain. */
function mayRetry(step: StepRecord, handlerSaysRetryable: boolean): boolean {
	return handlerSaysRetryable && step.retry.retryable && step.attempt < lastAllowedAttempt(step);
}
