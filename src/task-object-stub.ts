// The one way to reach a task's Durable Object: its name is the task uuid.
import type { TaskObject } from "../durable-objects/task-object";

/**
 * The task object's RPC methods with their declared types. The platform's RPC typing maps `unknown`
 * (step results, task context) to `never`; everything crossing here is JSON data, which RPC carries.
 */
export type TaskObjectApi = Pick<
	TaskObject,
	| "create"
	| "claim"
	| "claimMany"
	| "report"
	| "reportMany"
	| "recordDeadLetter"
	| "cancel"
	| "actOnStep"
	| "sendEvent"
	| "getTask"
	| "listSteps"
	| "getStep"
	| "getStepAudit"
	| "getTaskAudit"
	| "listDomainEvents"
	| "getStats"
>;

/**
 * What reaching a task object needs: the TASKS binding. A handler Worker of another script has it too,
 * declared with `script_name` (its type is then the untyped namespace).
 */
export interface TaskObjectsEnv {
	TASKS: DurableObjectNamespace<TaskObject> | DurableObjectNamespace;
}

export function taskObject(env: TaskObjectsEnv, taskUuid: string): TaskObjectApi {
	return env.TASKS.get(env.TASKS.idFromName(taskUuid)) as unknown as TaskObjectApi;
}
