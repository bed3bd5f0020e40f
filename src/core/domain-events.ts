// Domain events (a step's `publishes_events`): when a reported attempt of a step ends, each declared
// event whose condition matches the outcome is built here, in the reference's `DomainEvent` shape, and
// saved by the caller in the same transaction as the result (an outbox): exactly one record per
// applied result, sent after the transaction and sent again by the alarm until the queue has it. A
// payload that does not match the event's schema is not published and is counted; publishing never
// changes the step's outcome (the reference's rule).
import type { EventCondition, EventDeclaration, EventDeliveryMode } from "../templates/task-template";
import { StepState } from "./states";
import type { SerializedStepError, StepOutcome } from "./step-outcome";
import type { StepRecord, TaskRecord } from "./task-records";

/** The reference's default `event_version`. */
export const DOMAIN_EVENT_VERSION = "1.0";

/** One event as sent to the DOMAIN_EVENTS queue and shown by `GET /v1/tasks/{uuid}/events` (snake_case). */
export interface DomainEventMessage {
	/** Stable: the same event sent twice carries the same id, so a subscriber can drop the second. */
	event_id: string;
	event_name: string;
	event_version: string;
	delivery_mode: EventDeliveryMode;
	payload: {
		/** The business payload: the step's result (on a failure, its error). */
		payload: unknown;
		/** How the attempt ended. */
		execution_result: {
			success: boolean;
			/** The step's state once this outcome was applied: complete, waiting_for_retry or error. */
			step_state: string;
			attempt: number;
			execution_time_ms: number;
			result: unknown;
			error: SerializedStepError | null;
		};
	};
	metadata: {
		task_uuid: string;
		step_uuid: string;
		step_name: string;
		namespace: string;
		task_name: string;
		task_version: string;
		correlation_id: string;
		/** When the outcome was recorded (ISO 8601). */
		fired_at: string;
		/** The handler that ran the step (its `handler.callable`). */
		fired_by: string;
	};
}

export interface DomainEventsOptions {
	now: number;
	/** A fresh id per event (the shell's UUIDv7): the core makes no ids. */
	newEventId: () => string;
	/** Problems of `payload` against `schema` (empty: it matches); compiled and kept by the shell. */
	checkPayload: (schema: unknown, payload: unknown) => string[];
}

export interface BuiltDomainEvents {
	events: DomainEventMessage[];
	/** Declared events whose condition matched but whose payload broke their schema: not published. */
	rejected: Array<{ event_name: string; problems: string[] }>;
}

/**
 * Whether `condition` matches an attempt that ended this way. `retryable_failure`: the step will run
 * again; `permanent_failure`: it failed for good (the engine's decision, which also weighs the
 * template's retry policy and the attempts left, not only the handler's own flag).
 */
export function conditionMatches(condition: EventCondition, success: boolean, willRetry: boolean): boolean {
	switch (condition) {
		case "success":
			return success;
		case "failure":
			return !success;
		case "retryable_failure":
			return !success && willRetry;
		case "permanent_failure":
			return !success && !willRetry;
		case "always":
			return true;
	}
}

/** The events a just-applied outcome publishes (`step` as saved after it). Pure: ids and time are passed in. */
export function buildDomainEvents(
	task: TaskRecord,
	step: StepRecord,
	declared: readonly EventDeclaration[],
	outcome: StepOutcome,
	options: DomainEventsOptions,
): BuiltDomainEvents {
	const willRetry = step.state === StepState.waitingForRetry;
	const payload = outcome.success ? outcome.result : outcome.error;
	const built: BuiltDomainEvents = { events: [], rejected: [] };
	for (const declaration of declared) {
		if (!conditionMatches(declaration.condition, outcome.success, willRetry)) continue;
		if (declaration.schema !== null && declaration.schema !== undefined) {
			const problems = options.checkPayload(declaration.schema, payload);
			if (problems.length > 0) {
				built.rejected.push({ event_name: declaration.name, problems });
				continue;
			}
		}
		built.events.push({
			event_id: options.newEventId(),
			event_name: declaration.name,
			event_version: DOMAIN_EVENT_VERSION,
			delivery_mode: declaration.deliveryMode,
			payload: {
				payload,
				execution_result: {
					success: outcome.success,
					step_state: step.state,
					attempt: step.attempt,
					execution_time_ms: outcome.execution_time_ms,
					result: outcome.success ? outcome.result : null,
					error: outcome.success ? null : outcome.error,
				},
			},
			metadata: {
				task_uuid: task.taskUuid,
				step_uuid: step.stepUuid,
				step_name: step.name,
				namespace: task.namespace,
				task_name: task.name,
				task_version: task.version,
				correlation_id: task.correlationId,
				fired_at: new Date(options.now).toISOString(),
				fired_by: step.callable,
			},
		});
	}
	return built;
}
