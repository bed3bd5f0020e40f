// Why a claim, a result or a dead letter was acknowledged but not applied, and the one fence that
// decides it. Every message may arrive twice or late: these are the expected outcomes of
// at-least-once delivery, not errors.
import { isStepInFlight, isTerminalTaskState } from "./states";
import type { StepRecord, TaskRecord } from "./task-records";

export type DropReason =
	/** No task lives in this object (a forged or corrupted message). */
	| "unknown_task"
	/** The task is complete, failed or cancelled: nothing more is applied to it. */
	| "task_finished"
	| "unknown_step"
	/** The message names an attempt that is not the step's current one (a retry has superseded it). */
	| "stale_attempt"
	/** The step is not running: its result was already recorded (a duplicate), or it is waiting. */
	| "step_not_in_flight";

/**
 * The fence every message passes: it acts only on the current attempt of a step in flight, in a
 * task that has not finished. Null when it may act; otherwise why not.
 */
export function attemptFence(task: TaskRecord, step: StepRecord | null, attempt: number): DropReason | null {
	if (isTerminalTaskState(task.status)) return "task_finished";
	if (!step) return "unknown_step";
	if (step.attempt !== attempt) return "stale_attempt";
	if (!isStepInFlight(step.state)) return "step_not_in_flight";
	return null;
}
