// Ends a waiting step with a result (its event's payload, null on a tolerated timeout, or the sleep's
// wake time) and starts its dependents in the same transaction: the wait is over as soon as it is
// recorded, with no queue hop in between.
import { endHandlerWait } from "./handler-wait";
import { releaseDependents } from "./release-dependents";
import { StepState } from "./states";
import type { StepMessage } from "./step-message";
import { moveStep } from "./task-mutations";
import type { StepRecord, TaskRecord } from "./task-records";
import type { TaskStore } from "./task-store";
import { startStep } from "./wait-start";

export interface WaitEnd {
	dispatches: StepMessage[];
	/** Deadlines of dependents that wait in turn. */
	wakeAts: number[];
}

export function completeWait(
	store: TaskStore,
	task: TaskRecord,
	step: StepRecord,
	result: unknown,
	custom: Record<string, unknown>,
	now: number,
	sendGraceMs: number,
	/** Kept on the `complete` transition only, not in the step's result (an event's `received_at`). */
	audit: Record<string, unknown> = {},
): WaitEnd {
	const waitedMs = step.lastAttemptedAt === null ? 0 : now - step.lastAttemptedAt;
	// A handler's wait keeps what its handler returned beside the event (`handler_result`, its metadata).
	const kept = { ...endHandlerWait(step), ...custom };
	step.result = { result, metadata: { execution_time_ms: waitedMs, attempt: step.attempt, custom: kept } };
	step.completedAt = now;
	moveStep(store, task, step, StepState.complete, now, { waited_ms: waitedMs, ...custom, ...audit });
	store.saveStep(step);
	const end: WaitEnd = { dispatches: [], wakeAts: [] };
	for (const child of releaseDependents(store, task, step)) {
		const started = startStep(store, task, child, now, now + sendGraceMs);
		if (started.message) end.dispatches.push(started.message);
		if (started.wakeAt !== null) end.wakeAts.push(started.wakeAt);
	}
	return end;
}
