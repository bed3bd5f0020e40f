// A handler that ends its attempt by waiting (`StepHandlerResult.waitForEvent(name, options)`): it
// started something outside (a payment, an approval) and its step is done when that answers with an
// event. The wire form is a success outcome marked like a checkpoint yield (`result.type =
// "wait_for_event"`, `metadata.wait_for_event = true`), so it passes through the consumer and the
// report unchanged. Recorded, the step becomes `waiting_for_event` exactly like a `wait_for_event`
// step: the same deadline, the same event delivery (its payload becomes the step's result), the same
// timeout rules. A wait that cannot be read fails the step for good: the handler's code is wrong.
import { MAX_EVENT_NAME_LENGTH, MAX_WAIT_SECONDS_LIMIT } from "../limits";
import { StepState } from "./states";
import type { SerializedStepError, StepOutcome } from "./step-outcome";
import { moveStep } from "./task-mutations";
import type { StepRecord, TaskRecord } from "./task-records";
import type { TaskStore } from "./task-store";
import { keptEventFor } from "./wait-match";
import {
	EVENT_NAME_PATTERN,
	type HandlerWait,
	MATCH_PATH_PATTERN,
	MAX_MATCH_PATH_LENGTH,
	ON_TIMEOUT,
	type OnTimeout,
} from "./wait-spec";

export const HANDLER_WAIT_TYPE = "wait_for_event";

export type HandlerWaitRead = { ok: true; wait: HandlerWait } | { ok: false; error: SerializedStepError };

const isMapping = (value: unknown): value is Record<string, unknown> =>
	typeof value === "object" && value !== null && !Array.isArray(value);

/** Null when the outcome is not a handler's wait. */
export function readHandlerWait(step: StepRecord, outcome: StepOutcome): HandlerWaitRead | null {
	if (!outcome.success || outcome.metadata.wait_for_event !== true) return null;
	const result = outcome.result;
	if (!isMapping(result) || result.type !== HANDLER_WAIT_TYPE) return null;
	const fail = (message: string): HandlerWaitRead => ({
		ok: false,
		error: {
			name: "HandlerWaitError",
			error_type: "permanent_error",
			error_code: "invalid_wait",
			message: `step "${step.name}" asked to wait for an event, but ${message}`,
			retryable: false,
			retry_after_seconds: null,
			metadata: { step_name: step.name },
		},
	});
	const event = result.event;
	if (!isMapping(event)) return fail(`event is ${JSON.stringify(event) ?? "missing"}, expected a mapping`);
	const { name, timeout_seconds: timeout, match = null, on_timeout: onTimeout = "fail" } = event;
	if (typeof name !== "string" || name.length > MAX_EVENT_NAME_LENGTH || !EVENT_NAME_PATTERN.test(name)) {
		return fail(
			`event.name is ${JSON.stringify(name) ?? "missing"}, expected an event name such as payment_confirmed (${EVENT_NAME_PATTERN.source}, at most ${MAX_EVENT_NAME_LENGTH} characters)`,
		);
	}
	if (!Number.isInteger(timeout) || (timeout as number) < 1 || (timeout as number) > MAX_WAIT_SECONDS_LIMIT) {
		return fail(
			`event.timeout_seconds is ${JSON.stringify(timeout) ?? "missing"}, expected an integer from 1 to ${MAX_WAIT_SECONDS_LIMIT}`,
		);
	}
	if (
		match !== null &&
		(typeof match !== "string" || match.length > MAX_MATCH_PATH_LENGTH || !MATCH_PATH_PATTERN.test(match))
	) {
		return fail(`event.match is ${JSON.stringify(match)}, expected a dot path such as order_id`);
	}
	if (!ON_TIMEOUT.includes(onTimeout as OnTimeout)) {
		return fail(`event.on_timeout is ${JSON.stringify(onTimeout)}, expected one of ${ON_TIMEOUT.join(", ")}`);
	}
	const { wait_for_event: _marker, ...handlerMetadata } = outcome.metadata;
	return {
		ok: true,
		wait: {
			kind: "event",
			name,
			timeoutSeconds: timeout as number,
			match: match as string | null,
			onTimeout: onTimeout as OnTimeout,
			handlerResult: result.result ?? null,
			handlerMetadata,
		},
	};
}

/**
 * The step (in flight, its attempt's result being recorded) waits from now: `waiting_for_event` with
 * the wait's deadline, or "now" when an event for it was kept already (it came before the handler
 * finished: the alarm pass delivers it). Returns the deadline, for the task's alarm.
 */
export function startHandlerWait(
	store: TaskStore,
	task: TaskRecord,
	step: StepRecord,
	wait: HandlerWait,
	executionTimeMs: number,
	now: number,
): number {
	step.handlerWait = wait;
	step.nextRetryAt = null;
	moveStep(store, task, step, StepState.waitingForEvent, now, {
		event: wait.name,
		handler_wait: true,
		execution_time_ms: executionTimeMs,
	});
	// The wait counts from here, not from the attempt's start (completeWait reports `waited_ms`).
	step.lastAttemptedAt = now;
	const kept = keptEventFor(store, task, wait);
	step.deadlineAt = kept ? now : now + wait.timeoutSeconds * 1_000;
	store.saveStep(step);
	return step.deadlineAt;
}

/** A waiting step's handler wait ends (its event came, it timed out, an operator acted): the marker goes. */
export function endHandlerWait(step: StepRecord): Record<string, unknown> {
	const wait = step.handlerWait;
	if (!wait) return {};
	delete step.handlerWait;
	return {
		...wait.handlerMetadata,
		...(wait.handlerResult === null || wait.handlerResult === undefined
			? {}
			: { handler_result: wait.handlerResult }),
	};
}
