// Applies a handler's outcome to its step, exactly once: only the current attempt of a step in
// flight is accepted; anything else is a duplicate or a late result, acknowledged and dropped.
// Completing a step touches only its direct dependents (in-degree counters), never the whole DAG.
import { retryDelayMs } from "./backoff";
import { runInputFor } from "./claim-step";
import type { DropReason } from "./drop-reason";
import { isStepInFlight, isTerminalTaskState, StepState, type TaskState } from "./states";
import type { EngineEffects, StepMessage } from "./step-message";
import { stepMessage } from "./step-message";
import type { StepOutcome, StepRunInput } from "./step-outcome";
import { clearOwed, enqueueNextAttempt, moveStep, nextWakeAt, settleTask } from "./task-mutations";
import type { StepRecord, TaskRecord } from "./task-records";
import { mayStartSteps } from "./task-status";
import type { TaskStore } from "./task-store";

export type RecordOutcome =
	| {
			kind: "applied";
			stepState: StepState;
			taskStatus: TaskState;
			effects: EngineEffects;
			/** A step made ready here and handed to the reporter to run next (see `takeNext`). */
			next: StepRunInput | null;
	  }
	| { kind: "dropped"; reason: DropReason };

export interface RecordOptions {
	now: number;
	/** In [0, 1): the backoff jitter, passed in to keep the core deterministic. */
	random: number;
	/** How long the dispatches made ready here are left to the caller's own send before the alarm re-sends them. */
	sendGraceMs: number;
	/**
	 * The reporter offers to run the step this result makes ready, when it makes exactly one ready,
	 * saving a queue hop (the win on chains). The step is claimed for it in this same transaction and
	 * stays owed to the queue until its timeout (plus grace) has passed: if the reporter dies, the
	 * alarm sends it after all.
	 */
	takeNext?: boolean;
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
	let reason: DropReason | null = null;
	if (isTerminalTaskState(task.status)) reason = "task_finished";
	else if (!step) reason = "unknown_step";
	else if (step.attempt !== attempt) reason = "stale_attempt";
	else if (!isStepInFlight(step.state)) reason = "step_not_in_flight";
	if (reason !== null || !step) {
		task.stats.resultsDropped += 1;
		store.saveTask(task);
		return { kind: "dropped", reason: reason ?? "unknown_step" };
	}

	const { now } = options;
	clearOwed(task, step);
	task.stats.resultsApplied += 1;
	const dispatches: StepMessage[] = [];
	let next: StepRunInput | null = null;
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
		releaseDependents(store, task, step, options, dispatches);
		// Only a lone successor is handed over: parallel branches go out together, in one batch, to run in parallel.
		if (options.takeNext && dispatches.length === 1) next = handOver(store, task, dispatches, options);
	} else {
		step.lastError = outcome.error;
		step.lastFailureAt = now;
		const meta = { execution_time_ms: outcome.execution_time_ms, error: outcome.error };
		if (mayRetry(step, outcome.error.retryable)) {
			const delay = retryDelayMs(step.retry, step.attempt, outcome.error.retry_after_seconds, options.random);
			step.nextRetryAt = now + delay;
			moveStep(store, task, step, StepState.waitingForRetry, now, { ...meta, retry_in_ms: delay });
		} else {
			moveStep(store, task, step, StepState.error, now, meta);
		}
		store.saveStep(step);
	}
	settleTask(store, task, now);
	return {
		kind: "applied",
		stepState: step.state,
		taskStatus: task.status,
		effects: { dispatches, wakeAt: nextWakeAt(store, task) },
		next,
	};
}

/** Claims the newly ready step for the reporter and takes it out of the batch to send. */
function handOver(
	store: TaskStore,
	task: TaskRecord,
	dispatches: StepMessage[],
	options: RecordOptions,
): StepRunInput | null {
	const message = dispatches.shift();
	const step = message ? store.getStep(message.step_uuid) : null;
	if (!step) return null;
	const { now } = options;
	// Still owed, but only as the fallback: due once the attempt's time budget is spent.
	step.dispatchDueAt = now + step.timeoutSeconds * 1_000 + options.sendGraceMs;
	step.lastAttemptedAt = now;
	task.stats.claims += 1;
	moveStep(store, task, step, StepState.inProgress, now, { handed_over: true });
	store.saveStep(step);
	return runInputFor(store, task, step);
}

/** A failure is retried only if the handler says it may be, the template allows it, and attempts remain. */
function mayRetry(step: StepRecord, handlerSaysRetryable: boolean): boolean {
	return handlerSaysRetryable && step.retry.retryable && step.attempt < step.retry.maxAttempts;
}

function releaseDependents(
	store: TaskStore,
	task: TaskRecord,
	completed: StepRecord,
	options: RecordOptions,
	dispatches: StepMessage[],
): void {
	const mayStart = mayStartSteps(task);
	for (const child of store.childrenOf(completed.idx)) {
		child.unmetParents -= 1;
		if (child.unmetParents === 0 && child.state === StepState.pending && mayStart) {
			enqueueNextAttempt(store, task, child, options.now, options.now + options.sendGraceMs);
			dispatches.push(stepMessage(task, child));
		} else {
			store.saveStep(child);
		}
	}
}
