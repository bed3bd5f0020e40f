// GET /v1/tasks/{task_uuid}/events: the domain events a task's steps published (publishes_events),
// oldest first, each as sent to the DOMAIN_EVENTS queue and with its delivery state.
import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { iso } from "../../core/task-views";
import { taskObject } from "../../task-object-stub";
import { notFound } from "../api-error";
import { createRouter } from "../openapi-router";
import { taskUuidParams } from "../path-params";
import { errorResponses, jsonResponse } from "../route-responses";
import { type TaskEventView, taskEventViewSchema } from "../task-event-schemas";

const listEvents = createRoute({
	method: "get",
	path: "/{task_uuid}/events",
	tags: ["tasks"],
	summary: "The domain events a task's steps published, oldest first",
	request: { params: taskUuidParams },
	responses: {
		200: jsonResponse(
			z.array(taskEventViewSchema),
			"The events, oldest first (empty when none was published)",
		),
		...errorResponses({ 400: "a malformed task_uuid", 404: "no such task" }),
	},
});

export function taskEventRoutes() {
	const app = createRouter();
	app.openapi(listEvents, async (c) => {
		const { task_uuid: taskUuid } = c.req.valid("param");
		const stored = await taskObject(c.env, taskUuid).listDomainEvents();
		if (!stored) throw notFound(`no task with task_uuid ${taskUuid}`);
		const views: TaskEventView[] = stored.map((s) => ({
			event: s.event,
			delivery: {
				status: s.owed ? "pending" : "sent",
				recorded_at: iso(s.recordedAt) as string,
				sent_at: iso(s.sentAt),
				send_attempts: s.sendAttempts,
			},
		}));
		return c.json(views, 200);
	});
	return app;
}
