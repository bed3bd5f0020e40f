// What the alarm does for waiting steps whose deadline has come: a sleep wakes (completes); a wait
// for an event takes an event kept for it if there is one, else times out as its template says:
// `complete_with_null`, or `fail` as a timed-out attempt (the step's retry policy applies; a retry
// waits again). Every step moves on when it acts, so a second firing of the alarm finds nothing.
import { applyFailure } from "./apply-failure";
import { endHandlerWait } from "./handler-wait";
import { isWaitingState, StepState } from "./states";
import type { StepMessage } from "./step-message";
import type { TaskRecord } from "./task-records";
import type { TaskStore } from "./task-store";
import { completeWait } from "./wait-complete";
import { keptEventFor } from "./wait-match";
import { waitOf } from "./wait-spec";

export const EVENT_TIMEOUT_CODE = "EVENT_TIMEOUT";

export function runDueWaits(
	store: TaskStore,
	task: TaskRecord,
	now: number,
	limit: number,
	sendGraceMs: number,
	random: () => number,
): StepMessage[] {
	const dispatches: StepMessage[] = [];
	for (const step of store.deadlinesDue(now, limit)) {
		if (!isWaitingState(step.state) || step.deadlineAt === null) continue;
		const wait = waitOf(step);
		if (wait === null) continue;
		if (wait.kind === "sleep") {
			const woke = completeWait(
				store,
				task,
				step,
				{ slept_until: new Date(step.deadlineAt).toISOString() },
				{},
				now,
				sendGraceMs,
			);
			dispatches.push(...woke.dispatches);
			continue;
		}
		const kept = keptEventFor(store, task, wait);
		if (kept) {
			store.events.markConsumed(kept.eventId, step.stepUuid);
			const custom = {
				event_id: kept.eventId,
				event: kept.name,
				kept_since: new Date(kept.receivedAt).toISOString(),
			};
			dispatches.push(...completeWait(store, task, step, kept.payload, custom, now, sendGraceMs).dispatches);
			continue;
		}
		if (wait.onTimeout === "complete_with_null") {
			dispatches.push(
				...completeWait(store, task, step, null, { timed_out: true }, now, sendGraceMs).dispatches,
			);
			continue;
		}
		const waited = step.lastAttemptedAt === null ? 0 : now - step.lastAttemptedAt;
		// A handler's wait that times out is its attempt failing: a retry runs the handler again.
		const handlerWait = step.handlerWait !== undefined && step.handlerWait !== null;
		endHandlerWait(step);
		applyFailure(
			store,
			task,
			step,
			{
				name: "EventTimeoutError",
				error_type: "timeout",
				error_code: EVENT_TIMEOUT_CODE,
				message: `step "${step.name}" received no event "${wait.name}" within its timeout_seconds (${wait.timeoutSeconds} s)`,
				retryable: true,
				retry_after_seconds: null,
				metadata: {
					event: wait.name,
					timeout_seconds: wait.timeoutSeconds,
					state: StepState.waitingForEvent,
					...(handlerWait ? { handler_wait: true } : {}),
				},
			},
			waited,
			now,
			random(),
		);
	}
	return dispatches;
}
