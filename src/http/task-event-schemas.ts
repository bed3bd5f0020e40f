// GET /v1/tasks/{task_uuid}/events as a zod schema (OpenAPI, client types): each domain event recorded
// for the task, as sent to the DOMAIN_EVENTS queue, with whether the queue has it yet.
import { z } from "zod";
import type { DomainEventMessage } from "../core/domain-events";
import { EVENT_DELIVERY_MODES } from "../templates/task-template";
import type { Assert, Same } from "../validation/same-type";

const stepErrorSchema = z.object({
	name: z.string(),
	error_type: z.string(),
	error_code: z.string().nullable(),
	message: z.string(),
	retryable: z.boolean(),
	retry_after_seconds: z.number().nullable(),
	metadata: z.record(z.string(), z.unknown()),
});

export const domainEventMessageSchema = z
	.object({
		event_id: z.string().meta({ description: "Stable per event: a second delivery carries the same id." }),
		event_name: z.string(),
		event_version: z.string(),
		delivery_mode: z.enum(EVENT_DELIVERY_MODES),
		payload: z.object({
			payload: z.unknown().meta({ description: "The step's result (on a failure, its error)." }),
			execution_result: z.object({
				success: z.boolean(),
				step_state: z.string(),
				attempt: z.number().int(),
				execution_time_ms: z.number(),
				result: z.unknown(),
				error: stepErrorSchema.nullable(),
			}),
		}),
		metadata: z.object({
			task_uuid: z.string(),
			step_uuid: z.string(),
			step_name: z.string(),
			namespace: z.string(),
			task_name: z.string(),
			task_version: z.string(),
			correlation_id: z.string(),
			fired_at: z.string(),
			fired_by: z.string(),
		}),
	})
	.meta({ id: "DomainEvent" });

export const taskEventViewSchema = z
	.object({
		event: domainEventMessageSchema,
		delivery: z.object({
			status: z
				.enum(["sent", "pending"])
				.meta({ description: "pending: owed to the queue (a send in progress or to be retried)." }),
			recorded_at: z.string(),
			sent_at: z.string().nullable(),
			send_attempts: z.number().int().nonnegative(),
		}),
	})
	.meta({ id: "TaskEvent" });

export type TaskEventView = z.output<typeof taskEventViewSchema>;

export type _EventMatches = Assert<Same<z.output<typeof domainEventMessageSchema>, DomainEventMessage>>;
