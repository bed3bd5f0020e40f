// Step timeouts, enforced by the task object: an attempt still running past its deadline (its
// consumer died, hung, or lost its report) fails as a retryable `timeout`, exactly as if its handler
// had reported one; a late result of that attempt then names a superseded attempt and is dropped.
import { applyFailure } from "./apply-failure";
import { StepState } from "./states";
import type { SerializedStepError } from "./step-outcome";
import type { StepRecord, TaskRecord } from "./task-records";
import type { TaskStore } from "./task-store";

export const TIMEOUT_ERROR_TYPE = "timeout";
export const STEP_TIMEOUT_CODE = "STEP_TIMEOUT";

/** The error a timed-out attempt is recorded with (the consumer reports the same shape when it stops waiting). */
export function timeoutError(
	stepName: string,
	timeoutSeconds: number,
	by: "consumer" | "task_object",
): SerializedStepError {
	const what =
		by === "consumer"
			? `the handler of step "${stepName}" did not finish within its timeout_seconds (${timeoutSeconds} s)`
			: `step "${stepName}" reported no result within its timeout_seconds (${timeoutSeconds} s) plus grace; its consumer died or hung`;
	return {
		name: "StepTimeoutError",
		error_type: TIMEOUT_ERROR_TYPE,
		error_code: STEP_TIMEOUT_CODE,
		message: `${what}: the attempt counts as a retryable timeout`,
		retryable: true,
		retry_after_seconds: null,
		metadata: { timeout_seconds: timeoutSeconds, detected_by: by },
	};
}

/**
 * Fails every running attempt whose deadline has passed; returns the earliest retry time this
 * schedules (null if none). Only `in_progress` steps carry a deadline, so repeating this is harmless.
 */
export function timeOutExpiredAttempts(
	store: TaskStore,
	task: TaskRecord,
	now: number,
	limit: number,
	random: () => number,
): { timedOut: StepRecord[]; retryAt: number | null } {
	const timedOut: StepRecord[] = [];
	let retryAt: number | null = null;
	for (const step of store.deadlinesDue(now, limit)) {
		if (step.state !== StepState.inProgress || step.deadlineAt === null) continue;
		const elapsed = step.lastAttemptedAt === null ? 0 : now - step.lastAttemptedAt;
		task.stats.timeouts += 1;
		const at = applyFailure(
			store,
			task,
			step,
			timeoutError(step.name, step.timeoutSeconds, "task_object"),
			elapsed,
			now,
			random(),
		);
		if (at !== null) retryAt = retryAt === null ? at : Math.min(retryAt, at);
		timedOut.push(step);
	}
	return { timedOut, retryAt };
}
