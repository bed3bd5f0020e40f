// The storage port of the task engine. Synchronous on purpose: the Durable Object's SQLite API is
// synchronous, so a whole engine operation runs as one atomic transaction with no await inside.

import type { DlqEntry } from "./dlq-entry";
import type { DomainEventMessage } from "./domain-events";
import type { DynamicBlueprint, DynamicState } from "./dynamic-records";
import type { StepState } from "./states";
import type { StepRecord, TaskRecord, TransitionRecord } from "./task-records";
import type { EventInbox } from "./wait-inbox";

export interface TaskStore {
	loadTask(): TaskRecord | null;
	saveTask(task: TaskRecord): void;

	/** Writes the steps and their dependency edges (parent idx → child idx) of a new task. */
	insertSteps(steps: readonly StepRecord[], edges: ReadonlyArray<readonly [number, number]>): void;
	getStep(stepUuid: string): StepRecord | null;
	listSteps(): StepRecord[];
	/** Steps in any of these states (an operator's action; never on the dispatch path). */
	listStepsIn(states: readonly StepState[]): StepRecord[];
	/** The direct dependents of a step: all that completing it can change. */
	childrenOf(idx: number): StepRecord[];
	saveStep(step: StepRecord): void;
	/** Results of every step the given one depends on, directly or transitively, keyed by step name. */
	ancestorResults(idx: number): Record<string, unknown>;
	/**
	 * Names the results and dependency edges the store holds now: it changes whenever a result is saved
	 * or changed and whenever an edge is added, so inputs taken under one token are still exact while
	 * the token has not changed. Null: the store does not track it (every hand-over carries full inputs).
	 */
	inputsToken(): string | null;
	/** A step's result as its descendants' `dependency_results` hold it (null: it has none). */
	resultAsInput(idx: number): { value: unknown } | null;

	/** Steps owed a queue message whose due time has come. */
	dispatchesDue(now: number, limit: number): StepRecord[];
	/** Steps waiting for a retry whose backoff has run out. */
	retriesDue(now: number, limit: number): StepRecord[];
	/** Steps whose deadline has passed: running ones past their timeout, sent ones past their claim window. */
	deadlinesDue(now: number, limit: number): StepRecord[];
	/** The earliest owed dispatch, running attempt's deadline (or, if asked, retry) time, or null when nothing is scheduled. */
	nextDueAt(includeRetries: boolean): number | null;

	appendTransition(transition: TransitionRecord): void;

	/** Events sent to the task: applied ones (by event_id) and those kept for a step not yet waiting. */
	readonly events: EventInbox;

	/**
	 * Saves a DLQ entry to be written to D1 after this operation, in the same transaction as the
	 * decision that made it: the shell pushes it until it lands (idempotent by its uuid).
	 */
	stageDlqEntry(entry: DlqEntry): void;
	/**
	 * Saves domain events in this operation's transaction, owed to the DOMAIN_EVENTS queue from
	 * `dueAt` (the outbox): the shell sends them after the transaction, the alarm again if that fails.
	 */
	recordDomainEvents(events: readonly DomainEventMessage[], dueAt: number): void;
	/** The log of one step (by uuid), or of the task itself (null), oldest first. */
	listTransitions(stepUuid: string | null): TransitionRecord[];

	// Dynamic workflows: read and written only by tasks whose template has dynamic steps.
	loadBlueprint(): DynamicBlueprint | null;
	saveBlueprint(blueprint: DynamicBlueprint): void;
	loadDynamicState(): DynamicState | null;
	saveDynamicState(state: DynamicState): void;
}
