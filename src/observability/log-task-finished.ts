// The one log line that closes a task's story: its end state, duration and step tallies.
import type { TaskRecord } from "../core/task-records";
import { logEvent } from "./log-event";

export function logTaskFinished(task: TaskRecord): void {
	logEvent(`task.${task.status}`, {
		task_uuid: task.taskUuid,
		correlation_id: task.correlationId,
		namespace: task.namespace,
		name: task.name,
		duration_ms: (task.completedAt ?? task.updatedAt) - task.createdAt,
		completed_steps: task.counts.complete,
		failed_steps: task.counts.error,
	});
}
