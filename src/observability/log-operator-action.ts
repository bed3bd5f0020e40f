// The log line of an operator's step action (PATCH): who did what to which step, and why.
import type { StepAction } from "../core/operator-actions";
import type { StepRecord, TaskRecord } from "../core/task-records";
import { logEvent } from "./log-event";

export function logOperatorAction(task: TaskRecord, step: StepRecord | null, action: StepAction): void {
	const by =
		action.action_type === "reset_for_retry"
			? action.reset_by
			: action.action_type === "resolve_manually"
				? action.resolved_by
				: action.completed_by;
	logEvent(`step.${action.action_type}`, {
		task_uuid: task.taskUuid,
		step_name: step?.name ?? null,
		correlation_id: task.correlationId,
		attempt: step?.attempt ?? null,
		by,
		reason: action.reason,
	});
}
