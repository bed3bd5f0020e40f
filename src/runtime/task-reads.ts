// The task object's read side: the API's views of its task, steps and transition log, straight from
// its store. `undefined` means there is no task in this object; `null`, no such step.

import type { TaskStore } from "../core/task-store";
import {
	type StepView,
	type TaskView,
	type TransitionView,
	toStepView,
	toTaskView,
	toTransitionView,
} from "../core/task-views";

export function readTask(store: TaskStore): TaskView | null {
	const task = store.loadTask();
	return task ? toTaskView(task) : null;
}

export function readSteps(store: TaskStore): StepView[] | null {
	const task = store.loadTask();
	return task ? store.listSteps().map((step) => toStepView(task, step)) : null;
}

export function readStep(store: TaskStore, stepUuid: string): StepView | null | undefined {
	const task = store.loadTask();
	if (!task) return undefined;
	const step = store.getStep(stepUuid);
	return step ? toStepView(task, step) : null;
}

export function readStepAudit(store: TaskStore, stepUuid: string): TransitionView[] | null | undefined {
	const task = store.loadTask();
	if (!task) return undefined;
	if (!store.getStep(stepUuid)) return null;
	return store.listTransitions(stepUuid).map((t) => toTransitionView(task, t));
}

export function readTaskAudit(store: TaskStore): TransitionView[] | null {
	const task = store.loadTask();
	return task ? store.listTransitions(null).map((t) => toTransitionView(task, t)) : null;
}
