// The stream's `graph` view: what a task page needs for its first paint and its live colouring, and no
// more. A step is its place in the graph and its state (not its results, inputs or whole error: those
// are read on click); a transition is what a timeline needs (not its metadata). For a 1,000-step
// fan-out (echo handlers) the snapshot is under half the `full` one (0.8 MB against 1.9 MB once done).
import type { StepRecord, TaskRecord, TransitionRecord } from "../src/core/task-records";
import { iso, toStepView } from "../src/core/task-views";

/** Longer error messages are cut here: the whole error is one click away. */
const ERROR_MESSAGE_CHARS = 200;

export function toGraphStep(task: TaskRecord, step: StepRecord) {
	const view = toStepView(task, step);
	const error = view.last_error as { message?: unknown } | null;
	const message = typeof error?.message === "string" ? error.message : null;
	return {
		step_uuid: view.step_uuid,
		name: view.name,
		dependencies: view.dependencies,
		current_state: view.current_state,
		step_type: view.step_type,
		attempts: view.attempts,
		max_attempts: view.max_attempts,
		error_message: message === null ? null : message.slice(0, ERROR_MESSAGE_CHARS),
	};
}

export function toGraphTransition(transition: TransitionRecord) {
	return {
		transition_id: transition.seq,
		workflow_step_uuid: transition.stepUuid,
		step_name: transition.stepName,
		from_state: transition.fromState,
		to_state: transition.toState,
		attempt: transition.attempt,
		recorded_at: iso(transition.at),
	};
}
