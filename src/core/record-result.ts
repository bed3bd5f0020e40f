// Applies a handler's outcome to its step, exactly once: only the current attempt of a step in
// flight is accepted; anything else is a duplicate or a late result, acknowledged and dropped.
// Completing a step touches only its direct dependents (in-degree counters), never the whole DAG.

import { applyFailure } from "./apply-failure";
import { runInputFor } from "./claim-step";
import { attemptFence, type DropReason } from "./drop-reason";
import { splitForHandOver } from "./hand-over-rule";
import { releaseDependents } from "./release-dependents";
import { isTerminalTaskState, StepState, type TaskState } from "./states";
import type { EngineEffects, StepMessage } from "./step-message";
import { stepMessage } from "./step-message";
import type { StepOutcome, StepRunInput } from "./step-outcome";
import {
	clearOwed,
	earliest,
	enqueueNextAttempt,
	moveStep,
	settleTask,
	startDeadline,
} from "./task-mutations";
import type { StepRecord, TaskRecord } from "./task-records";
import type { TaskStore } from "./task-store";
import { waitOf } from "./wait-spec";
import { startStep } from "./wait-start";

export type RecordOutcome =
	| {
			kind: "applied";
			stepState: StepState;
			taskStatus: TaskState;
			effects: EngineEffects;
			/** Steps made ready here and handed to the reporter to run next (see `takeNext`). */
			next: StepRunInput[];
	  }
	| { kind: "dropped"; reason: DropReason };

export interface RecordOptions {
	now: number;
	/** In [0, 1): the backoff jitter, passed in to keep the core deterministic. */
	random: number;
	/** How long the dispatches made ready here are left to the caller's own send before the alarm re-sends them. */
	sendGraceMs: number;
	/**
	 * The reporter offers to run the steps this result makes ready, when they are few (at most
	 * MAX_STEPS_HANDED_OVER), saving a queue hop per stage. They are claimed for it in this same
	 * transaction with a deadline (their timeout plus grace): if the reporter dies, the alarm times
	 * the attempt out and the retry goes through the queue.
	 */
	takeNext?: boolean;
	/**
	 * The handlers the reporter can run (absent: any). Only those steps are handed to it; the others
	 * go to their namespace's queue (see hand-over-rule.ts).
	 */
	reporterHandlers?: ReadonlySet<string> | undefined;
}

export function recordResult(
	store: TaskStore,
	stepUuid: string,
	attempt: number,
	outcome: StepOutcome,
	options: RecordOptions,
): RecordOutcome {
	const task = store.loadTask();
	if (!task) return { kind: "dropped", reason: "unknown_task" };
	const step = store.getStep(stepUuid);
	const reason = attemptFence(task, step, attempt);
	if (reason !== null || !step) {
		task.stats.resultsDropped += 1;
		store.saveTask(task);
		return { kind: "dropped", reason: reason ?? "unknown_step" };
	}

	const { now } = options;
	clearOwed(task, step);
	task.stats.resultsApplied += 1;
	let dispatches: StepMessage[] = [];
	let next: StepRunInput[] = [];
	const deadlines: number[] = [];
	let retryAt: number | null = null;
	if (outcome.success) {
		step.result = {
			result: outcome.result,
			metadata: {
				execution_time_ms: outcome.execution_time_ms,
				attempt: step.attempt,
				custom: outcome.metadata,
			},
		};
		step.completedAt = now;
		moveStep(store, task, step, StepState.complete, now, { execution_time_ms: outcome.execution_time_ms });
		store.saveStep(step);
		const released = releaseDependents(store, task, step);
		// A successor that waits (an event, a time) starts waiting here: no consumer ever runs it.
		const ready = released.filter((child) => waitOf(child) === null);
		for (const child of released) {
			if (waitOf(child) === null) continue;
			const started = startStep(store, task, child, now, now + options.sendGraceMs);
			if (started.wakeAt !== null) deadlines.push(started.wakeAt);
		}
		// A few successors the reporter can run are handed to it, to run at once and side by side; a
		// wide fan-out, or a step for another consumer, goes to the queue.
		const split = splitForHandOver(ready, {
			takeNext: options.takeNext ?? false,
			handlers: options.reporterHandlers,
		});
		next = split.handOver.map((child) => {
			const handed = handOver(store, task, child, options.now);
			deadlines.push(handed.deadline);
			return handed.input;
		});
		dispatches = split.enqueue.map((child) => enqueue(store, task, child, options));
	} else {
		retryAt = applyFailure(store, task, step, outcome.error, outcome.execution_time_ms, now, options.random);
	}
	settleTask(store, task, now);
	const wakeAt = isTerminalTaskState(task.status)
		? null
		: earliest([retryAt, ...deadlines, ...dispatches.map(() => now + options.sendGraceMs)]);
	return {
		kind: "applied",
		stepState: step.state,
		taskStatus: task.status,
		effects: { dispatches, wakeAt },
		next,
	};
}

function enqueue(store: TaskStore, task: TaskRecord, step: StepRecord, options: RecordOptions): StepMessage {
	enqueueNextAttempt(store, task, step, options.now, options.now + options.sendGraceMs);
	return stepMessage(task, step);
}

/**
 * Starts the next attempt of a ready step in the reporter's hands: `pending → in_progress` with no
 * message, claimed in this transaction. Its deadline is the fallback: if the reporter dies, the
 * alarm fails the attempt as a `timeout` once the deadline passes, and the retry goes by the queue.
 */
function handOver(
	store: TaskStore,
	task: TaskRecord,
	step: StepRecord,
	now: number,
): { input: StepRunInput; deadline: number } {
	step.attempt += 1;
	step.nextRetryAt = null;
	step.lastAttemptedAt = now;
	task.stats.claims += 1;
	moveStep(store, task, step, StepState.inProgress, now, { handed_over: true });
	const deadline = startDeadline(step, now);
	store.saveStep(step);
	return { input: runInputFor(store, task, step), deadline };
}
