// The queue message that dispatches one attempt of one step. It carries references, not payloads:
// the consumer fetches the inputs when it claims the step, so a message stays far below 128 KB.
import type { StepRecord, TaskRecord } from "./task-records";

export const STEP_MESSAGE_VERSION = 1;

export interface StepMessage {
	v: typeof STEP_MESSAGE_VERSION;
	task_uuid: string;
	step_uuid: string;
	step_name: string;
	namespace: string;
	/** The fencing token: a result is applied only if it names the step's current attempt. */
	attempt: number;
	/**
	 * The step's handler (`handler.callable`): lets a pull worker's work queue hand a step only to a
	 * worker that has its handler. Optional, so that messages sent before it existed still parse.
	 */
	callable?: string;
}

export function stepMessage(task: TaskRecord, step: StepRecord): StepMessage {
	return {
		v: STEP_MESSAGE_VERSION,
		task_uuid: task.taskUuid,
		step_uuid: step.stepUuid,
		step_name: step.name,
		namespace: task.namespace,
		attempt: step.attempt,
		callable: step.callable,
	};
}

/** What the shell must do after an engine operation has been saved: send these, then wake at `wakeAt`. */
export interface EngineEffects {
	dispatches: StepMessage[];
	/** When the alarm must next run (owed dispatches, retries), or null when nothing is scheduled. */
	wakeAt: number | null;
}
