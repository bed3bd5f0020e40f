// What a waiting step waits for. A `wait_for_event` or `sleep` step of a template becomes a step whose
// `callable` is one of the reserved names below and whose `initialization` holds its normalised wait:
// no handler ever runs it and no queue message is ever sent for it, and the step rows, their storage
// and their views need nothing new.
import type { StepRecord } from "./task-records";

export const WAIT_FOR_EVENT_CALLABLE = "tasker:wait_for_event";
export const SLEEP_CALLABLE = "tasker:sleep";
export const WAIT_CALLABLES: ReadonlySet<string> = new Set([WAIT_FOR_EVENT_CALLABLE, SLEEP_CALLABLE]);

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

/** The step's wait, or null for a step a handler runs. */
export function waitOf(step: Pick<StepRecord, "callable" | "initialization">): WaitSpec | null {
	if (!WAIT_CALLABLES.has(step.callable)) return null;
	return step.initialization as unknown as WaitSpec;
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
