// An event sent to a task (`POST /v1/tasks/{uuid}/events`): it completes the oldest step waiting for
// it, with its payload as the step's result, and that step's dependents start in the same
// transaction. An event no step waits for yet is kept (at most MAX_BUFFERED_EVENTS_PER_TASK) and
// taken by the first step that waits for it. An event_id seen before is applied once: a retried
// request changes nothing. An event no unfinished step waits or may wait for is late: it is refused
// and nothing is kept (see `mayStillWaitFor`).
import { MAX_BUFFERED_EVENTS_PER_TASK } from "../limits";
import { isTerminalTaskState, StepState, type TaskState } from "./states";
import type { EngineEffects } from "./step-message";
import { earliest, settleTask } from "./task-mutations";
import type { TaskStore } from "./task-store";
import { completeWait } from "./wait-complete";
import { eventMatches } from "./wait-match";
import { WAIT_CALLABLES, waitOf } from "./wait-spec";

export interface TaskEvent {
	name: string;
	payload: unknown;
	/** The sender's id for this event; absent, the event cannot be recognised when sent again. */
	eventId: string | null;
	/**
	 * When the API received the event (the Worker's clock as its request began); absent, when the task
	 * object did. Kept in the event inbox and, for the event that completes a step, as `received_at` in
	 * that step's `complete` transition: an event's path (request in, step complete) reads off the task's
	 * own records. Never later than the object's own clock.
	 */
	receivedAt?: number | null;
}

export type EventOutcome =
	| { kind: "delivered"; stepUuid: string; stepName: string; taskStatus: TaskState; effects: EngineEffects }
	| { kind: "buffered"; taskStatus: TaskState }
	/** The same event_id was applied before: nothing changes. The step it completed, if any, is named. */
	| { kind: "duplicate"; stepUuid: string | null; stepName: string | null; taskStatus: TaskState }
	| { kind: "unknown_task" }
	| { kind: "task_finished"; taskStatus: TaskState }
	| { kind: "inbox_full"; limit: number }
	/** No unfinished step waits or may wait for this event: it came too late (or names no wait at all). */
	| { kind: "not_awaited"; name: string; taskStatus: TaskState };

const FINISHED_STEP_STATES: ReadonlySet<StepState> = new Set([
	StepState.complete,
	StepState.resolvedManually,
	StepState.cancelled,
]);

/**
 * Whether a step not finished yet waits, or may wait later, for the event `name`: a `wait_for_event`
 * step of that name (a retry waits again), or any step a handler runs, since a handler may end its
 * attempt by waiting for any event (`StepHandlerResult.waitForEvent`). A step in `error` counts: an
 * operator may retry it. Read only when no step waits for the event now (the rare path).
 */
export function mayStillWaitFor(store: TaskStore, name: string): boolean {
	const unfinished = Object.values(StepState).filter((state) => !FINISHED_STEP_STATES.has(state));
	return store.listStepsIn(unfinished).some((step) => {
		if (!WAIT_CALLABLES.has(step.callable)) return true;
		const wait = waitOf(step);
		return wait?.kind === "event" && wait.name === name;
	});
}

export function deliverEvent(
	store: TaskStore,
	event: TaskEvent,
	now: number,
	newId: () => string,
	sendGraceMs: number,
): EventOutcome {
	const task = store.loadTask();
	if (!task) return { kind: "unknown_task" };
	if (event.eventId !== null) {
		const seen = store.events.find(event.eventId);
		if (seen) {
			const step = seen.consumedBy === null ? null : store.getStep(seen.consumedBy);
			return {
				kind: "duplicate",
				stepUuid: seen.consumedBy,
				stepName: step?.name ?? null,
				taskStatus: task.status,
			};
		}
	}
	if (isTerminalTaskState(task.status)) return { kind: "task_finished", taskStatus: task.status };
	const eventId = event.eventId ?? newId();
	const receivedAt = Math.min(event.receivedAt ?? now, now);
	const step = store.listStepsIn([StepState.waitingForEvent]).find((candidate) => {
		const wait = waitOf(candidate);
		return wait?.kind === "event" && eventMatches(wait, task, event.name, event.payload);
	});
	if (!step) {
		if (!mayStillWaitFor(store, event.name)) {
			return { kind: "not_awaited", name: event.name, taskStatus: task.status };
		}
		if (store.events.keptCount() >= MAX_BUFFERED_EVENTS_PER_TASK) {
			return { kind: "inbox_full", limit: MAX_BUFFERED_EVENTS_PER_TASK };
		}
		store.events.add({
			eventId,
			name: event.name,
			payload: event.payload,
			receivedAt,
			consumedBy: null,
		});
		return { kind: "buffered", taskStatus: task.status };
	}
	store.events.add({
		eventId,
		name: event.name,
		payload: event.payload,
		receivedAt,
		consumedBy: step.stepUuid,
	});
	const end = completeWait(
		store,
		task,
		step,
		event.payload,
		{ event_id: eventId, event: event.name },
		now,
		sendGraceMs,
		{ received_at: new Date(receivedAt).toISOString() },
	);
	settleTask(store, task, now);
	const wakeAt = isTerminalTaskState(task.status)
		? null
		: earliest([...end.wakeAts, ...end.dispatches.map(() => now + sendGraceMs)]);
	return {
		kind: "delivered",
		stepUuid: step.stepUuid,
		stepName: step.name,
		taskStatus: task.status,
		effects: { dispatches: end.dispatches, wakeAt },
	};
}
