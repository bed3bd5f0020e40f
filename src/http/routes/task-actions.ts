// Operator actions on a task: cancel it (DELETE) and act on one of its steps (PATCH), as the reference.
import { createRoute } from "@hono/zod-openapi";
import type { OperatorReply } from "../../runtime/task-object-replies";
import { taskObject } from "../../task-object-stub";
import { conflict, notFound } from "../api-error";
import { bodyReadByHandler, createRouter } from "../openapi-router";
import { stepUuidParams, taskUuidParams } from "../path-params";
import { readJsonBody } from "../read-json-body";
import { requestBodyLimit } from "../request-body-limit";
import { errorResponses, jsonResponse } from "../route-responses";
import { stepActionSchema } from "../step-action-schema";
import { stepSchema, taskSchema } from "../task-response-schemas";

const tags = ["operator actions"];

const cancel = createRoute({
	method: "delete",
	path: "/{task_uuid}",
	tags,
	summary: "Cancel a task",
	request: { params: taskUuidParams },
	responses: {
		200: jsonResponse(taskSchema, "The cancelled task"),
		...errorResponses({
			400: "a malformed task_uuid",
			404: "no task with this task_uuid",
			409: "the task has already finished",
		}),
	},
});

const actOnStep = createRoute({
	method: "patch",
	path: "/{task_uuid}/workflow_steps/{step_uuid}",
	tags,
	summary: "Reset a step for retry, resolve it or complete it manually",
	middleware: [requestBodyLimit()] as const,
	request: {
		params: stepUuidParams,
		body: {
			required: true,
			content: { "application/json": { schema: stepActionSchema.meta({ id: "StepAction" }) } },
		},
	},
	responses: {
		200: jsonResponse(stepSchema, "The step after the action"),
		...errorResponses({
			400: "a malformed uuid or body",
			404: "no task with this task_uuid, or it has no step with this step_uuid",
			409: "the step's state does not allow this action",
			413: "the body is too large",
		}),
	},
});

export function taskActionRoutes() {
	const app = createRouter();

	app.openapi(cancel, async (c) => {
		const { task_uuid: taskUuid } = c.req.valid("param");
		const reply = await taskObject(c.env, taskUuid).cancel("cancelled through the API");
		return c.json(applied(reply, taskUuid).task, 200);
	});

	app.openapi(bodyReadByHandler(app, actOnStep), async (c) => {
		const { task_uuid: taskUuid, step_uuid: stepUuid } = c.req.valid("param");
		const action = await readJsonBody(c, stepActionSchema);
		const reply = await taskObject(c.env, taskUuid).actOnStep(stepUuid, action);
		const { step } = applied(reply, taskUuid, stepUuid);
		// An applied step action always names its step; without one this is a bug, not the client's mistake.
		if (step === null)
			throw new Error(`task ${taskUuid} applied an action on step ${stepUuid} but returned no step`);
		return c.json(step, 200);
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
