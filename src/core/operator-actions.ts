// What an operator may do to a task: cancel it, or act on one step (reset it for retry, resolve it,
// complete it with data), as the reference's DELETE and PATCH do. Each is one transaction; refusals
// come back as data with a message a person can act on, and change nothing.

import { staleAt } from "./lifecycle";
import { releaseDependents } from "./release-dependents";
import { isTerminalTaskState, StepState, TaskState } from "./states";
import type { EngineEffects, StepMessage } from "./step-message";
import { clearOwed, earliest, moveStep, settleTask } from "./task-mutations";
import type { StepRecord, TaskRecord } from "./task-records";
import { mayStartSteps } from "./task-status";
import type { TaskStore } from "./task-store";
import { startStep } from "./wait-start";

export type StepAction =
	| { action_type: "reset_for_retry"; reason: string; reset_by: string }
	| { action_type: "resolve_manually"; reason: string; resolved_by: string }
	| {
			action_type: "complete_manually";
			completion_data: { result: unknown; metadata?: Record<string, unknown> };
			reason: string;
			completed_by: string;
	  };

export type OperatorOutcome =
	| { kind: "applied"; task: TaskRecord; step: StepRecord | null; effects: EngineEffects }
	| { kind: "unknown_task" }
	| { kind: "unknown_step" }
	| { kind: "conflict"; message: string };

/** Steps that may still run: cancelling stops them; a late result of one is dropped as for a finished task. */
const UNFINISHED: readonly StepState[] = [
	StepState.pending,
	StepState.enqueued,
	StepState.inProgress,
	StepState.waitingForRetry,
	StepState.waitingForEvent,
	StepState.sleeping,
];

export function cancelTask(store: TaskStore, now: number, reason: string): OperatorOutcome {
	const task = store.loadTask();
	if (!task) return { kind: "unknown_task" };
	if (isTerminalTaskState(task.status)) {
		return {
			kind: "conflict",
			message: `task ${task.taskUuid} is already ${task.status}: only a task that has not finished can be cancelled`,
		};
	}
	for (const step of store.listStepsIn(UNFINISHED)) {
		clearOwed(task, step);
		step.nextRetryAt = null;
		moveStep(store, task, step, StepState.cancelled, now, { reason });
		store.saveStep(step);
	}
	// Steps in error keep their state: it says what went wrong, and the task's status says it ended.
	const from = task.status;
	task.status = TaskState.cancelled;
	store.appendTransition({
		seq: ++task.transitionSeq,
		stepIdx: null,
		stepUuid: null,
		stepName: null,
		fromState: from,
		toState: TaskState.cancelled,
		attempt: null,
		at: now,
		metadata: { reason },
	});
	task.completedAt = now;
	task.updatedAt = now;
	task.progressAt = now;
	store.saveTask(task);
	return { kind: "applied", task, step: null, effects: { dispatches: [], wakeAt: null } };
}

export function actOnStep(
	store: TaskStore,
	stepUuid: string,
	action: StepAction,
	now: number,
	sendGraceMs: number,
): OperatorOutcome {
	const task = store.loadTask();
	if (!task) return { kind: "unknown_task" };
	const step = store.getStep(stepUuid);
	if (!step) return { kind: "unknown_step" };
	if (task.status === TaskState.complete || task.status === TaskState.cancelled) {
		return {
			kind: "conflict",
			message: `task ${task.taskUuid} is ${task.status}: its steps can no longer change`,
		};
	}
	const refusal = refuse(step, action);
	if (refusal) return { kind: "conflict", message: refusal };

	const audit = { action: action.action_type, reason: action.reason, by: actor(action) };
	clearOwed(task, step);
	step.nextRetryAt = null;
	if (action.action_type === "reset_for_retry") {
		// A fresh retry budget; attempt numbers go on counting, so a late result of an old run stays stale.
		step.retryBase = step.attempt;
		moveStep(store, task, step, StepState.pending, now, audit);
		store.saveStep(step);
	} else {
		if (action.action_type === "complete_manually") {
			step.result = {
				result: action.completion_data.result,
				metadata: {
					execution_time_ms: 0,
					attempt: step.attempt,
					custom: action.completion_data.metadata ?? {},
				},
			};
		}
		step.completedAt = now;
		const to = action.action_type === "complete_manually" ? StepState.complete : StepState.resolvedManually;
		moveStep(store, task, step, to, now, audit);
		store.saveStep(step);
		for (const child of releaseDependents(store, task, step)) store.saveStep(child);
	}
	const wasFinished = isTerminalTaskState(task.status);
	const effects = resume(store, task, now, sendGraceMs);
	// Brought back from `error`: the task gets a fresh lifetime, or it would be stale again at once.
	if (wasFinished && !isTerminalTaskState(task.status) && task.staleness) {
		task.staleness.lifetimeFrom = now;
		store.saveTask(task);
	}
	const wakeAt = earliest([effects.wakeAt, staleAt(task)]);
	return { kind: "applied", task, step: store.getStep(stepUuid), effects: { ...effects, wakeAt } };
}

function refuse(step: StepRecord, action: StepAction): string | null {
	const is = `step ${step.name} is ${step.state}`;
	if (action.action_type === "reset_for_retry") {
		return step.state === StepState.error ? null : `${is}: only a step in error can be reset for retry`;
	}
	if (step.state === StepState.complete || step.state === StepState.resolvedManually) {
		return `${is}: it is already done`;
	}
	if (step.state === StepState.cancelled) return `${is}: a cancelled step cannot change`;
	return null;
}

function actor(action: StepAction): string {
	if (action.action_type === "reset_for_retry") return action.reset_by;
	if (action.action_type === "resolve_manually") return action.resolved_by;
	return action.completed_by;
}

/**
 * After an operator's action the task goes on from where it is, even from `error`: every step whose
 * parents are all done starts, and pending retries get their alarm back. A scan, fine for a rare act.
 */
function resume(store: TaskStore, task: TaskRecord, now: number, sendGraceMs: number): EngineEffects {
	const dispatches: StepMessage[] = [];
	const retryTimes: number[] = [];
	if (mayStartSteps(task)) {
		for (const step of store.listStepsIn([StepState.pending, StepState.waitingForRetry])) {
			if (step.state === StepState.waitingForRetry) {
				retryTimes.push(Math.max(now, step.nextRetryAt ?? now));
				continue;
			}
			if (step.unmetParents !== 0) continue;
			const started = startStep(store, task, step, now, now + sendGraceMs);
			if (started.message) dispatches.push(started.message);
			if (started.wakeAt !== null) retryTimes.push(started.wakeAt);
		}
	}
	settleTask(store, task, now);
	const wakeAt = earliest([...retryTimes, ...dispatches.map(() => now + sendGraceMs)]);
	return { dispatches, wakeAt };
}
