// Why a claim or a result was acknowledged but not applied. Every message may arrive twice or late:
// these are the expected outcomes of at-least-once delivery, not errors.
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
