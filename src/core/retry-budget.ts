// How many runs a step may have: its template's max_attempts, counted from its last operator reset.
import type { StepRecord } from "./task-records";

/** The highest attempt number the step may run (attempt numbers keep counting across resets). */
export function lastAllowedAttempt(step: Pick<StepRecord, "retryBase" | "retry">): number {
	return step.retryBase + step.retry.maxAttempts;
}
