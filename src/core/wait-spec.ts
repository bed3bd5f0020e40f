// What a waiting step waits for. A `wait_for_event` or `sleep` step of a template becomes a step whose
// `callable` is one of the reserved names below and whose `initialization` holds its normalised wait:
// no handler ever runs it and no queue message is ever sent for it, and the step rows, their storage
// and their views need nothing new.
import { StepState } from "./states";
import type { StepRecord } from "./task-records";

export const WAIT_FOR_EVENT_CALLABLE = "tasker:wait_for_event";
export const SLEEP_CALLABLE = "tasker:sleep";
export const WAIT_CALLABLES: ReadonlySet<string> = new Set([WAIT_FOR_EVENT_CALLABLE, SLEEP_CALLABLE]);

/** An event's name: as Cloudflare Workflows' event type, plus dots. */
export const EVENT_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** A wait's `match`: a dot path such as `order_id` or `customer.id`. */
export const MATCH_PATH_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
export const MAX_MATCH_PATH_LENGTH = 200;

export const ON_TIMEOUT = ["fail", "complete_with_null"] as const;
export type OnTimeout = (typeof ON_TIMEOUT)[number];

export interface EventWait {
	kind: "event";
	/** The event's name (`POST /v1/tasks/{uuid}/events` `{name}`). */
	name: string;
	timeoutSeconds: number;
	/** A dot path that must be equal in the task's context and the event's payload (Inngest's `match`). */
	match: string | null;
	/** `fail`: a timed-out attempt (the retry policy applies); `complete_with_null`: the step completes with null. */
	onTimeout: OnTimeout;
}

export interface SleepWait {
	kind: "sleep";
	seconds: number | null;
	/**
	 * Where the wake time (an ISO 8601 time) is read when the step starts: `context.<path>` or
	 * `<dependency step>.<path>` (its result).
	 */
	until: string | null;
}

export type WaitSpec = EventWait | SleepWait;

/**
 * A handler's step that ended its attempt by waiting (`StepHandlerResult.waitForEvent`): the wait, and
 * what the handler returned with it (kept beside the event's payload once the step completes).
 */
export interface HandlerWait extends EventWait {
	/** The handler's partial result (e.g. the external process's id); null when it gave none. */
	handlerResult: unknown;
	handlerMetadata: Record<string, unknown>;
}

/**
 * The step's wait, or null for a step a handler runs. A handler's step waits only while it is
 * `waiting_for_event` after its handler asked to: its retry runs the handler again.
 */
export function waitOf(
	step: Pick<StepRecord, "callable" | "initialization" | "handlerWait" | "state">,
): WaitSpec | null {
	if (WAIT_CALLABLES.has(step.callable)) return step.initialization as unknown as WaitSpec;
	if (step.handlerWait && step.state === StepState.waitingForEvent) return step.handlerWait;
	return null;
}

/** The value at a dot path (`a.b.0.c`), or undefined. */
export function readDotPath(value: unknown, path: string): unknown {
	let current: unknown = value;
	for (const part of path.split(".")) {
		if (current === null || typeof current !== "object") return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}
