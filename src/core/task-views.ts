// The API's view of a task, a step and a transition: snake_case JSON, ISO timestamps, the
// reference's field names. Pure mapping from records; no storage access.

import { checkpointYields } from "./checkpoint-yield";
import { lastAllowedAttempt } from "./retry-budget";
import { isWaitingState, StepState } from "./states";
import type { StepRecord, TaskRecord, TransitionRecord } from "./task-records";
import { doneSteps, executionStatus, recommendedAction } from "./task-status";
import { waitOf } from "./wait-spec";

/** Epoch milliseconds as the API shows them: ISO 8601, or null. */
export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export type TaskView = ReturnType<typeof toTaskView>;
export type StepView = ReturnType<typeof toStepView>;
export type TransitionView = ReturnType<typeof toTransitionView>;

export function toTaskView(task: TaskRecord) {
	const c = task.counts;
	const execution = executionStatus(task);
	return {
		task_uuid: task.taskUuid,
		name: task.name,
		namespace: task.namespace,
		version: task.version,
		status: task.status,
		execution_status: execution,
		recommended_action: recommendedAction(execution),
		health_status: healthStatus(task),
		completion_percentage: task.totalSteps === 0 ? 100 : round2((doneSteps(c) / task.totalSteps) * 100),
		total_steps: task.totalSteps,
		pending_steps: c.pending,
		/** Dispatched to the queue, not yet started by a consumer. */
		ready_steps: c.enqueued,
		in_progress_steps: c.in_progress,
		waiting_for_retry_steps: c.waiting_for_retry,
		completed_steps: c.complete,
		resolved_manually_steps: c.resolved_manually,
		failed_steps: c.error,
		cancelled_steps: c.cancelled,
		context: task.context,
		initiator: task.initiator,
		source_system: task.sourceSystem,
		reason: task.reason,
		tags: task.tags,
		priority: task.priority,
		correlation_id: task.correlationId,
		parent_correlation_id: task.parentCorrelationId,
		created_at: iso(task.createdAt),
		updated_at: iso(task.updatedAt),
		completed_at: iso(task.completedAt),
	};
}

export function toStepView(task: TaskRecord, step: StepRecord) {
	const dependenciesSatisfied = step.unmetParents === 0;
	return {
		step_uuid: step.stepUuid,
		task_uuid: task.taskUuid,
		name: step.name,
		description: step.description,
		handler: step.callable,
		dependencies: step.dependencies,
		current_state: step.state,
		dependencies_satisfied: dependenciesSatisfied,
		total_parents: step.totalParents,
		completed_parents: step.totalParents - step.unmetParents,
		ready_for_execution: step.state === StepState.enqueued,
		retry_eligible: step.retry.retryable && step.attempt < lastAllowedAttempt(step),
		// Runs after a checkpoint yield are fenced as attempts but are not retries: they are not shown as such.
		attempts: step.attempt - checkpointYields(step),
		max_attempts: lastAllowedAttempt(step) - checkpointYields(step),
		retryable: step.retry.retryable,
		timeout_seconds: step.timeoutSeconds,
		step_type: step.stepType ?? "standard",
		/** The decision or batchable step whose result created this one; null when it existed from the start. */
		created_by: step.createdBy ?? null,
		wait: waitView(step),
		results: step.result === null ? null : { success: true, ...step.result },
		last_error: step.lastError,
		next_retry_at: iso(step.nextRetryAt),
		last_attempted_at: iso(step.lastAttemptedAt),
		last_failure_at: iso(step.lastFailureAt),
		created_at: iso(step.createdAt),
		updated_at: iso(step.updatedAt),
		completed_at: iso(step.completedAt),
	};
}

/** While the step waits: for what (an event's name, or a time) and until when; null otherwise. */
function waitView(step: StepRecord) {
	if (!isWaitingState(step.state)) return null;
	const wait = waitOf(step);
	return {
		kind: step.state === StepState.sleeping ? ("sleep" as const) : ("event" as const),
		event_name: wait?.kind === "event" ? wait.name : null,
		deadline_at: iso(step.deadlineAt),
		/** Set by a handler (StepHandlerResult.waitForEvent) rather than by the template. */
		from_handler: step.handlerWait !== undefined && step.handlerWait !== null,
	};
}

export function toTransitionView(task: TaskRecord, transition: TransitionRecord) {
	return {
		transition_id: transition.seq ?? null,
		task_uuid: task.taskUuid,
		workflow_step_uuid: transition.stepUuid,
		step_name: transition.stepName,
		from_state: transition.fromState,
		to_state: transition.toState,
		attempt: transition.attempt,
		metadata: transition.metadata,
		correlation_id: task.correlationId,
		recorded_at: iso(transition.at),
	};
}

function healthStatus(task: TaskRecord): "healthy" | "recovering" | "blocked" {
	if (task.counts.error > 0) return "blocked";
	if (task.counts.waiting_for_retry > 0) return "recovering";
	return "healthy";
}

function round2(n: number): number {
	return Math.round(n * 100) / 100;
}
