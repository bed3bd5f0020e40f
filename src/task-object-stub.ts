// The one way to reach a task's Durable Object: its name is the task uuid.
import type { TaskObjectApi } from "./runtime/task-object-api";

export type { TaskObjectApi } from "./runtime/task-object-api";

/**
 * What reaching a task object needs: the TASKS binding. A handler Worker of another script has it too,
 * declared with `script_name` (its type is then the untyped namespace).
 */
export interface TaskObjectsEnv {
	TASKS: Pick<DurableObjectNamespace, "idFromName" | "get">;
}

/**
 * The stub, typed by the task object's declared interface: the platform's RPC typing maps `unknown`
 * (step results, task context) to `never`; everything crossing here is JSON data, which RPC carries.
 */
export function taskObject(env: TaskObjectsEnv, taskUuid: string): TaskObjectApi {
	return env.TASKS.get(env.TASKS.idFromName(taskUuid)) as unknown as TaskObjectApi;
}
