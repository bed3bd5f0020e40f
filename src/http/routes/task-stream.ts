// GET /v1/tasks/{task_uuid}/stream: the task's live stream, a WebSocket held by its task object (see
// durable-objects/task-stream.ts for the messages). Checked here like any read of the task; the
// upgrade itself is the object's.
import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../api-error";
import { createRouter } from "../openapi-router";
import { taskUuidParams } from "../path-params";
import { oneOfValue, strictQuery, textValue } from "../query-params";
import { errorEnvelopeSchema, errorResponses } from "../route-responses";

export const STREAM_CREDENTIAL_PARAMS = ["api_key", "access_token"] as const;

const stream = createRoute({
	method: "get",
	path: "/{task_uuid}/stream",
	tags: ["tasks"],
	summary: "Follow a task live (WebSocket)",
	description: [
		"Upgrades to a WebSocket (`Upgrade: websocket`). The first message is a `snapshot`: `seq` (the task's",
		"transition counter), `task`, and with `view=full` (the default) `steps` and `transitions` (its whole log).",
		"After each change comes an `update`: `seq`, `since`, `task`, and with `view=full` the `steps` that",
		"moved and the new `transitions`. Messages are JSON text; a text `ping` is answered `pong`. The socket",
		"stays open after the task finishes; close it when done. `view=graph` is `full` slimmed to what a task page",
		"paints: each step's place and state (`step_uuid`, `name`, `dependencies`, `current_state`, `step_type`,",
		"`attempts`, `max_attempts`, `error_message`) and transitions without their metadata. A browser cannot send headers with a",
		"WebSocket, so this route also takes the credentials as `api_key` or `access_token` query parameters.",
	].join(" "),
	request: {
		params: taskUuidParams,
		query: strictQuery({
			view: oneOfValue(["full", "graph", "task"]).optional().meta({ default: "full" }),
			api_key: textValue(1024).optional(),
			access_token: textValue(8192).optional(),
		}),
	},
	responses: {
		101: { description: "Switching protocols: the stream follows" },
		...errorResponses({ 400: "a malformed task_uuid or query", 404: "no task with this task_uuid" }),
		426: {
			description: "UPGRADE_REQUIRED: the request is not a WebSocket upgrade",
			content: {
				"application/json": {
					schema: errorEnvelopeSchema,
				},
			},
		},
	},
});

export function taskStreamRoutes() {
	const app = createRouter();
	app.openapi(stream, async (c) => {
		const { task_uuid: taskUuid } = c.req.valid("param");
		if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
			throw new ApiError(426, "UPGRADE_REQUIRED", "expected a WebSocket upgrade (header Upgrade: websocket)");
		}
		const { view } = c.req.valid("query");
		const url = new URL(c.req.url);
		url.search = view === undefined || view === "full" ? "" : `?view=${view}`;
		const stub = c.env.TASKS.get(c.env.TASKS.idFromName(taskUuid));
		const response = await stub.fetch(new Request(url, { headers: { Upgrade: "websocket" } }));
		if (response.status === 404) throw new ApiError(404, "NOT_FOUND", `no task with task_uuid ${taskUuid}`);
		// The 101 with its socket is handed on as it came; the spec's typing has no place for it.
		return response as never;
	});
	return app;
}
