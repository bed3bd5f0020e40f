// The task and step state names, as the reference system spells them (see the README's state machines).

export const TaskState = {
	pending: "pending",
	initializing: "initializing",
	enqueuingSteps: "enqueuing_steps",
	stepsInProcess: "steps_in_process",
	evaluatingResults: "evaluating_results",
	waitingForDependencies: "waiting_for_dependencies",
	waitingForRetry: "waiting_for_retry",
	blockedByFailures: "blocked_by_failures",
	complete: "complete",
	error: "error",
	cancelled: "cancelled",
} as const;
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

export const StepState = {
	pending: "pending",
	enqueued: "enqueued",
	inProgress: "in_progress",
	enqueuedForOrchestration: "enqueued_for_orchestration",
	waitingForRetry: "waiting_for_retry",
	complete: "complete",
	/** An operator declared the step done without a result: it satisfies its dependents like `complete`. */
	resolvedManually: "resolved_manually",
	error: "error",
	cancelled: "cancelled",
	/** A `wait_for_event` step: a row and an alarm (its timeout) until its event arrives; no consumer holds it. */
	waitingForEvent: "waiting_for_event",
	/** A `sleep` step: a row and an alarm until its wake time; no consumer holds it. */
	sleeping: "sleeping",
} as const;
export type StepState = (typeof StepState)[keyof typeof StepState];

const TERMINAL_TASK_STATES: ReadonlySet<TaskState> = new Set([
	TaskState.complete,
	TaskState.error,
	TaskState.cancelled,
]);

export function isTerminalTaskState(state: TaskState): boolean {
	return TERMINAL_TASK_STATES.has(state);
}

/** A step is in flight from its dispatch until its result is recorded: only then may a result be applied. */
export function isStepInFlight(state: StepState): boolean {
	return state === StepState.enqueued || state === StepState.inProgress;
}

/** A dependent may start once each of its parents is in one of these. */
/** A step that waits (for an event or a time) rather than runs: see src/core/wait-*.ts. */
export function isWaitingState(state: StepState): boolean {
	return state === StepState.waitingForEvent || state === StepState.sleeping;
}

export function satisfiesDependents(state: StepState): boolean {
	return state === StepState.complete || state === StepState.resolvedManually;
}
