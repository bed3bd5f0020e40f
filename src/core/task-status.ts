// Task-level status, derived from the step counters after every event: one rule, in one place,
// instead of a transition table that could drift from the steps it summarises.
import { StepState, TaskState } from "./states";
import type { StepCounts, TaskRecord } from "./task-records";

export function emptyStepCounts(): StepCounts {
	return {
		pending: 0,
		enqueued: 0,
		in_progress: 0,
		enqueued_for_orchestration: 0,
		waiting_for_retry: 0,
		complete: 0,
		resolved_manually: 0,
		error: 0,
		cancelled: 0,
		waiting_for_event: 0,
		sleeping: 0,
	};
}

/** Steps that satisfy their dependents: complete, or resolved by an operator. */
export function doneSteps(counts: StepCounts): number {
	return counts[StepState.complete] + counts[StepState.resolvedManually];
}

/** Steps waiting for an event or a time (`wait_for_event`, `sleep`). */
export function waitingSteps(counts: StepCounts): number {
	return (counts[StepState.waitingForEvent] ?? 0) + (counts[StepState.sleeping] ?? 0);
}

export function stepsInFlight(counts: StepCounts): number {
	return counts[StepState.enqueued] + counts[StepState.inProgress];
}

/**
 * The precedence, first match wins:
 * a failed step → `blocked_by_failures` while other steps are still running (their results are
 * recorded, nothing new starts), then `error`; all complete → `complete`; the first steps saved but
 * not yet handed to the queue → `enqueuing_steps`; steps dispatched or running → `steps_in_process`;
 * retries pending → `waiting_for_retry`; otherwise `waiting_for_dependencies`.
 *
 * Later dispatches do not bring back `enqueuing_steps`: they are sent within the event that made
 * them ready, and flipping the status (and its log) twice per step would tell a user nothing.
 */
export function deriveTaskStatus(task: TaskRecord): TaskState {
	if (task.status === TaskState.cancelled) return TaskState.cancelled;
	const c = task.counts;
	const inFlight = stepsInFlight(c);
	if (c[StepState.error] > 0) return inFlight > 0 ? TaskState.blockedByFailures : TaskState.error;
	if (doneSteps(c) === task.totalSteps) return TaskState.complete;
	if (task.pendingSends > 0 && task.stats.messagesSent === 0 && task.stats.claims === 0) {
		return TaskState.enqueuingSteps;
	}
	// A step waiting for an event or a time is in process too: the task is not stuck, it waits.
	if (inFlight > 0 || waitingSteps(c) > 0) return TaskState.stepsInProcess;
	if (c[StepState.waitingForRetry] > 0) return TaskState.waitingForRetry;
	return TaskState.waitingForDependencies;
}

/** No new step starts once a step has failed for good: only steps already running may finish. */
export function mayStartSteps(task: TaskRecord): boolean {
	return task.counts[StepState.error] === 0 && task.status !== TaskState.cancelled;
}

export type ExecutionStatus =
	| "has_ready_steps"
	| "processing"
	| "blocked_by_failures"
	| "all_complete"
	| "waiting_for_dependencies";

/** The reference's execution status, with its precedence: blocked > ready > processing > complete > waiting. */
export function executionStatus(task: TaskRecord): ExecutionStatus {
	const c = task.counts;
	if (c[StepState.error] > 0) return "blocked_by_failures";
	if (c[StepState.enqueued] > 0) return "has_ready_steps";
	if (c[StepState.inProgress] > 0) return "processing";
	if (doneSteps(c) === task.totalSteps) return "all_complete";
	return "waiting_for_dependencies";
}

const RECOMMENDED_ACTIONS: Record<ExecutionStatus, string> = {
	has_ready_steps: "execute_ready_steps",
	processing: "wait_for_completion",
	blocked_by_failures: "handle_failures",
	all_complete: "finalize_task",
	waiting_for_dependencies: "wait_for_dependencies",
};

export function recommendedAction(status: ExecutionStatus): string {
	return RECOMMENDED_ACTIONS[status];
}
