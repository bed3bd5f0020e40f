// Tasks, steps and audit transitions for people: aligned fields and tables, long values cut to one line.
import type { Step, Task, Transition } from "../client/client-types";
import { cell, formatFields, formatTable } from "./table";

const MAX_CELL = 60;

/** One line, at most `max` characters: a result or an error must not break the table. */
export function brief(value: unknown, max = MAX_CELL): string {
	const text = cell(value).replace(/\s+/g, " ");
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Steps finished for good (complete or resolved by an operator), as the progress counts them. */
export function doneSteps(task: Task): number {
	return task.completedSteps + task.resolvedManuallySteps;
}

export function progressLine(task: Task): string {
	return `task ${task.taskUuid}: ${doneSteps(task)}/${task.totalSteps} steps done, ${task.status}`;
}

export function renderTask(task: Task): string[] {
	return formatFields([
		["task_uuid", task.taskUuid],
		["template", `${task.namespace}/${task.name} ${task.version}`],
		["status", `${task.status} (${task.executionStatus}, ${task.healthStatus})`],
		["steps", `${doneSteps(task)}/${task.totalSteps} done (${task.completionPercentage}%)`],
		["failed_steps", String(task.failedSteps)],
		["recommended", cell(task.recommendedAction)],
		["initiator", cell(task.initiator)],
		["source_system", cell(task.sourceSystem)],
		["reason", cell(task.reason)],
		["correlation_id", cell(task.correlationId)],
		["context", brief(task.context, 100)],
		["created_at", cell(task.createdAt)],
		["completed_at", cell(task.completedAt)],
	]);
}

/** The fields a task list's entry has (a summary, without counts or context). */
export interface TaskListEntry {
	taskUuid: string;
	namespace: string;
	name: string;
	version: string;
	status: string;
	initiator: string;
	createdAt: string | null;
}

export function renderTaskList(tasks: readonly TaskListEntry[]): string[] {
	return formatTable(
		["TASK UUID", "TEMPLATE", "STATUS", "INITIATOR", "CREATED AT"],
		tasks.map((task) => [
			task.taskUuid,
			`${task.namespace}/${task.name} ${task.version}`,
			task.status,
			cell(task.initiator),
			cell(task.createdAt),
		]),
	);
}

/** A step's outcome in a word or two: its result, its last error, or nothing yet. */
function outcome(step: Step): string {
	if (step.lastError && step.currentState !== "complete") return brief(step.lastError);
	return step.results === null ? "-" : brief(step.results.result);
}

export function renderSteps(steps: readonly Step[]): string[] {
	return formatTable(
		["STEP", "STATE", "ATTEMPTS", "STEP UUID", "RESULT / ERROR"],
		steps.map((step) => [
			step.name,
			step.currentState,
			`${step.attempts}/${step.maxAttempts}`,
			step.stepUuid,
			outcome(step),
		]),
	);
}

export function renderStep(step: Step): string[] {
	return formatFields([
		["step_uuid", step.stepUuid],
		["task_uuid", step.taskUuid],
		["name", step.name],
		["state", step.currentState],
		["attempts", `${step.attempts}/${step.maxAttempts}`],
		["dependencies", step.dependencies.length === 0 ? "-" : step.dependencies.join(", ")],
		["result", step.results === null ? "-" : brief(step.results.result, 100)],
		["last_error", brief(step.lastError, 100)],
	]);
}

export function renderTransitions(transitions: readonly Transition[]): string[] {
	return formatTable(
		["RECORDED AT", "STEP", "FROM", "TO", "ATTEMPT"],
		transitions.map((t) => [
			cell(t.recordedAt),
			cell(t.stepName),
			cell(t.fromState),
			t.toState,
			cell(t.attempt),
		]),
	);
}
