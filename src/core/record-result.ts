// Applies a handler's outcome to its step, exactly once: only the current attempt of a step in
// flight is accepted; anything else is a duplicate or a late result, acknowledged and dropped.
// Completing a step touches only its direct dependents (in-degree counters), never the whole DAG.

import { applyDynamicResult, type DynamicResult } from "./apply-dynamic-result";
import { applyFailure } from "./apply-failure";
import { readCheckpointYield } from "./checkpoint-yield";
import { runInputFor } from "./claim-step";
import {
	type BuiltDomainEvents,
	buildDomainEvents,
	type DomainEventMessage,
	type DomainEventsOptions,
} from "./domain-events";
import { attemptFence, type DropReason } from "./drop-reason";
import { splitForHandOver } from "./hand-over-rule";
import { readHandlerWait, startHandlerWait } from "./handler-wait";
import { releaseDependents } from "./release-dependents";
import { isTerminalTaskState, StepState, type TaskState } from "./states";
import type { EngineEffects, StepMessage } from "./step-message";
import { stepMessage } from "./step-message";
import type { StepOutcome, StepRunInput } from "./step-outcome";
import {
	clearOwed,
	earliest,
	enqueueNextAttempt,
	markOwed,
	moveStep,
	settleTask,
	startDeadline,
} from "./task-mutations";
import type { CheckpointRecord, StepRecord, TaskRecord } from "./task-records";
import { mayStartSteps } from "./task-status";
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
			/** Domain events recorded with this outcome (owed to the DOMAIN_EVENTS queue). */
			events: DomainEventMessage[];
			/** Declared events refused because their payload broke the event's schema. */
			rejectedEvents: Array<{ event_name: string; problems: string[] }>;
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
	/**
	 * The `inputs_token` of the input the reported attempt ran with. While it is still the store's, the
	 * reporter holds that step's inputs exactly as they are now, and a step it is handed whose only parent
	 * is the reported one gets just that step's result (`inherits_inputs`).
	 */
	reporterInputsToken?: string;
	/**
	 * How domain events are built (ids, payload checks). Absent: a step's declared events are not
	 * recorded (only callers that never meet such steps, such as engine tests, leave it out).
	 */
	events?: Omit<DomainEventsOptions, "now">;
	/** New step uuids, for the steps a decision or batch analyzer creates. */
	newStepUuid?: () => string;
}

const missingIds = (): string => {
	throw new Error("recordResult needs newStepUuid to create steps");
};

/** What the creator's completion says it created (the names, while they are few enough to list). */
function createdAudit(names: readonly string[]): Record<string, unknown> {
	return names.length <= 100 ? { created_steps: names } : { created_step_count: names.length };
}

/**
 * The step yielded a checkpoint: it is kept with the step, and the step runs again from it as a new
 * attempt (the fence), sent through the queue; the retry budget is moved on by one so it is not spent.
 */
function yieldCheckpoint(
	store: TaskStore,
	task: TaskRecord,
	step: StepRecord,
	checkpoint: Omit<CheckpointRecord, "timestamp" | "yields">,
	options: RecordOptions,
): StepMessage {
	const yields = (step.checkpoint?.yields ?? 0) + 1;
	step.checkpoint = { ...checkpoint, timestamp: options.now, yields };
	step.retryBase += 1;
	step.attempt += 1;
	step.nextRetryAt = null;
	markOwed(task, step, options.now + options.sendGraceMs);
	moveStep(store, task, step, StepState.enqueued, options.now, {
		checkpoint_yield: true,
		items_processed: checkpoint.items_processed,
		yields,
	});
	store.saveStep(step);
	return stepMessage(task, step);
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
	// Asked before this outcome saves anything: saving the result changes the token.
	const reporterInputsCurrent =
		options.reporterInputsToken !== undefined && options.reporterInputsToken === store.inputsToken();
	clearOwed(task, step);
	task.stats.resultsApplied += 1;
	let dispatches: StepMessage[] = [];
	let next: StepRunInput[] = [];
	const deadlines: number[] = [];
	let retryAt: number | null = null;
	// A checkpoint yield, or a decision/analyzer result that creates steps, is applied here too; one
	// that cannot be applied becomes a permanent failure of the step.
	let failure = outcome.success ? null : outcome.error;
	let dynamic: DynamicResult = { kind: "none" };
	// A handler that ended by waiting leaves its step waiting for the event (see handler-wait.ts).
	let waiting = false;
	if (outcome.success) {
		const yielded = readCheckpointYield(step, outcome);
		const handlerWait = yielded ? null : readHandlerWait(step, outcome);
		if (yielded?.ok) {
			dispatches = [yieldCheckpoint(store, task, step, yielded.checkpoint, options)];
		} else if (yielded) {
			failure = yielded.error;
		} else if (handlerWait?.ok) {
			waiting = true;
			deadlines.push(startHandlerWait(store, task, step, handlerWait.wait, outcome.execution_time_ms, now));
		} else if (handlerWait) {
			failure = handlerWait.error;
		} else if (step.stepType !== undefined) {
			dynamic = applyDynamicResult(store, task, step, outcome.result, now, options.newStepUuid ?? missingIds);
			if (dynamic.kind === "rejected") failure = dynamic.error;
		}
	}
	if (outcome.success && failure === null && dispatches.length === 0 && !waiting) {
		step.result = {
			result: outcome.result,
			metadata: {
				execution_time_ms: outcome.execution_time_ms,
				attempt: step.attempt,
				custom: outcome.metadata,
			},
		};
		step.completedAt = now;
		moveStep(store, task, step, StepState.complete, now, {
			execution_time_ms: outcome.execution_time_ms,
			...(dynamic.kind === "created" ? createdAudit(dynamic.names) : {}),
		});
		store.saveStep(step);
		const released = releaseDependents(store, task, step);
		// The reported step is a parent of these; a step a decision created may depend on another.
		const children = new Set(released.map((child) => child.idx));
		if (dynamic.kind === "created" && mayStartSteps(task)) released.push(...dynamic.ready);
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
			const inheritsFrom = reporterInputsCurrent && children.has(child.idx) ? step : null;
			const handed = handOver(store, task, child, options.now, inheritsFrom);
			deadlines.push(handed.deadline);
			return handed.input;
		});
		dispatches = split.enqueue.map((child) => enqueue(store, task, child, options));
	} else if (failure !== null) {
		const executionMs = outcome.execution_time_ms;
		retryAt = applyFailure(store, task, step, failure, executionMs, now, options.random);
	}
	const published = publishEvents(store, task, step, outcome, options);
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
		events: published.events,
		rejectedEvents: published.rejected,
	};
}

const NO_EVENTS: BuiltDomainEvents = { events: [], rejected: [] };

/** The step's declared events this outcome publishes, saved in this transaction; nothing at all for a plain step. */
function publishEvents(
	store: TaskStore,
	task: TaskRecord,
	step: StepRecord,
	outcome: StepOutcome,
	options: RecordOptions,
): BuiltDomainEvents {
	const declared = step.extras?.publishesEvents;
	if (declared === undefined || declared.length === 0 || options.events === undefined) return NO_EVENTS;
	const built = buildDomainEvents(task, step, declared, outcome, { now: options.now, ...options.events });
	if (built.events.length > 0) {
		store.recordDomainEvents(built.events, options.now + options.sendGraceMs);
		task.stats.domainEventsRecorded = (task.stats.domainEventsRecorded ?? 0) + built.events.length;
	}
	if (built.rejected.length > 0) {
		task.stats.domainEventsRejected = (task.stats.domainEventsRejected ?? 0) + built.rejected.length;
	}
	return built;
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
	reported: StepRecord | null,
): { input: StepRunInput; deadline: number } {
	step.attempt += 1;
	step.nextRetryAt = null;
	step.lastAttemptedAt = now;
	task.stats.claims += 1;
	moveStep(store, task, step, StepState.inProgress, now, { handed_over: true });
	const deadline = startDeadline(step, now);
	store.saveStep(step);
	return { input: runInputFor(store, task, step, reported), deadline };
}
