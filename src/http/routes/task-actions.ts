// Operator actions on a task: cancel it (DELETE) and act on one of its steps (PATCH), as the reference.
import { Hono } from "hono";
import type { OperatorReply } from "../../../durable-objects/task-object";
import { taskObject } from "../../task-object-stub";
import { conflict, notFound } from "../api-error";
import { requireUuid } from "../path-params";
import { readJsonBody } from "../read-json-body";
import { requestBodyLimit } from "../request-body-limit";
import { stepActionSchema } from "../step-action-schema";

export function taskActionRoutes() {
	const app = new Hono<{ Bindings: Env }>();

	app.delete("/:task_uuid", async (c) => {
		const taskUuid = requireUuid("task_uuid", c.req.param("task_uuid"));
		const reply = await taskObject(c.env, taskUuid).cancel("cancelled through the API");
		return c.json(applied(reply, taskUuid).task);
	});

	app.patch("/:task_uuid/workflow_steps/:step_uuid", requestBodyLimit(), async (c) => {
		const taskUuid = requireUuid("task_uuid", c.req.param("task_uuid"));
		const stepUuid = requireUuid("step_uuid", c.req.param("step_uuid"));
		const action = await readJsonBody(c, stepActionSchema);
		const reply = await taskObject(c.env, taskUuid).actOnStep(stepUuid, action);
		return c.json(applied(reply, taskUuid, stepUuid).step);
	});

	return app;
}

function applied(reply: OperatorReply, taskUuid: string, stepUuid?: string) {
	if (reply.kind === "unknown_task") throw notFound(`no task with task_uuid ${taskUuid}`);
	if (reply.kind === "unknown_step")
		throw notFound(`task ${taskUuid} has no workflow step with step_uuid ${stepUuid}`);
	if (reply.kind === "conflict") throw conflict(reply.message);
	return reply;
}
