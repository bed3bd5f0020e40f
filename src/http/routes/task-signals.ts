// POST /v1/tasks/{uuid}/events: an event for a task's `wait_for_event` steps (a payment provider's
// webhook, a person's approval). It completes the step waiting for it, whose result is the payload;
// or it is kept until a step waits for it. A repeated event_id is applied once.
import { createRoute, z } from "@hono/zod-openapi";
import { MAX_EVENT_PAYLOAD_BYTES, MAX_IDEMPOTENCY_KEY_LENGTH } from "../../limits";
import { taskObject } from "../../task-object-stub";
import { eventNameSchema } from "../../templates/wait-steps";
import { strictObject, stringOfLength } from "../../validation/field-schemas";
import { conflict, notFound, payloadTooLarge } from "../api-error";
import { bodyReadByHandler, createRouter } from "../openapi-router";
import { taskUuidParams } from "../path-params";
import { readJsonBody } from "../read-json-body";
import { requestBodyLimit } from "../request-body-limit";
import { errorResponses, jsonResponse } from "../route-responses";

export const taskEventSchema = strictObject(
	{
		name: eventNameSchema(),
		payload: z
			.unknown()
			.optional()
			.meta({ description: "Any JSON: the waiting step's result (default null)." }),
		event_id: stringOfLength(1, MAX_IDEMPOTENCY_KEY_LENGTH, "an event id")
			.optional()
			.meta({ description: "The sender's id for this event: sent again, it is applied once." }),
	},
	"a JSON object (the event)",
);

export const eventReceiptSchema = z
	.object({
		status: z.enum(["delivered", "buffered", "duplicate"]).meta({
			description:
				"delivered: a waiting step completed with it; buffered: kept for a step not waiting yet; duplicate: this event_id was applied before.",
		}),
		step_uuid: z.string().nullable(),
		step_name: z.string().nullable(),
		task_status: z.string().nullable(),
	})
	.meta({ id: "EventReceipt" });

const send = createRoute({
	method: "post",
	path: "/{task_uuid}/events",
	tags: ["tasks"],
	summary: "Send an event to a task: it completes the step waiting for it, or is kept until one does",
	middleware: [requestBodyLimit()] as const,
	request: {
		params: taskUuidParams,
		body: {
			required: true,
			content: { "application/json": { schema: taskEventSchema.meta({ id: "TaskEvent" }) } },
		},
	},
	responses: {
		200: jsonResponse(eventReceiptSchema, "Delivered to a waiting step, or a duplicate applied before"),
		202: jsonResponse(eventReceiptSchema, "Kept: no step waits for it yet"),
		...errorResponses({
			400: "a malformed task_uuid or body",
			404: "no task with this task_uuid",
			409: "the task has finished, no unfinished step waits or may wait for this event, or it keeps too many events already",
			413: "the body or the payload is too large",
		}),
	},
});

export function taskSignalRoutes() {
	const app = createRouter();
	app.openapi(bodyReadByHandler(app, send), async (c) => {
		// Before the body is read: the platform's clock stands still until the first I/O, so this is when
		// the request reached the Worker (after the auth gate). Kept with the event as its received_at.
		const receivedAt = Date.now();
		const { task_uuid: taskUuid } = c.req.valid("param");
		const body = await readJsonBody(c, taskEventSchema);
		const payload = body.payload ?? null;
		const bytes = new TextEncoder().encode(JSON.stringify(payload)).length;
		if (bytes > MAX_EVENT_PAYLOAD_BYTES) {
			throw payloadTooLarge(`payload is ${bytes} bytes as JSON; the limit is ${MAX_EVENT_PAYLOAD_BYTES}`);
		}
		const reply = await taskObject(c.env, taskUuid).sendEvent({
			name: body.name,
			payload,
			eventId: body.event_id ?? null,
			receivedAt,
		});
		switch (reply.kind) {
			case "unknown_task":
				throw notFound(`no task with task_uuid ${taskUuid}`);
			case "task_finished":
				throw conflict(`task ${taskUuid} is ${reply.taskStatus}: it waits for no event any more`);
			case "not_awaited":
				throw conflict(
					`task ${taskUuid} has no unfinished step that waits or will wait for event "${reply.name}" (every wait_for_event step of that name is done, or none exists, and no handler step is left that could wait); the event was not kept`,
				);
			case "inbox_full":
				throw conflict(
					`task ${taskUuid} already keeps ${reply.limit} events that no step waits for (the limit); this one was not kept`,
				);
			case "duplicate":
				return c.json(
					{
						status: "duplicate" as const,
						step_uuid: reply.stepUuid,
						step_name: reply.stepName,
						task_status: reply.taskStatus,
					},
					200,
				);
			case "buffered":
				return c.json(
					{ status: "buffered" as const, step_uuid: null, step_name: null, task_status: reply.taskStatus },
					202,
				);
			case "delivered":
				return c.json(
					{
						status: "delivered" as const,
						step_uuid: reply.stepUuid,
						step_name: reply.stepName,
						task_status: reply.taskStatus,
					},
					200,
				);
		}
	});
	return app;
}
