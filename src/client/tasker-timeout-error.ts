// waitForTask's deadline passed before the task finished: carries the last state seen, so the caller can act on it.
import type { Task } from "./client-types";

export class TaskerTimeoutError extends Error {
	override readonly name = "TaskerTimeoutError";
	/** The task as last read, still unfinished. */
	readonly task: Task;

	constructor(task: Task, timeoutMs: number) {
		super(`task ${task.taskUuid} is still ${task.status} after ${timeoutMs} ms`);
		this.task = task;
	}
}
