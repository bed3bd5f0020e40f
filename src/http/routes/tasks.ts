// /v1/tasks: submit a task (one new Durable Object), read it, its steps and their transitions.
import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { MAX_TASK_CONTEXT_BYTES, MAX_WAIT_SECONDS } from "../../limits";
import type { TemplateRegistry } from "../../registry/template-registry";
import { taskObject } from "../../task-object-stub";
import { notFound, payloadTooLarge } from "../api-error";
import { errorBody } from "../error-handler";
import { requireContextMatches } from "../input-schema";
import { bodyReadByHandler, createRouter } from "../openapi-router";
import { stepUuidParams, taskUuidParams } from "../path-params";
import { numberValue } from "../query-params";
import { readJsonBody } from "../read-json-body";
import { requestBodyLimit } from "../request-body-limit";
import { errorResponses, jsonResponse } from "../route-responses";
import { submitTask } from "../submit-task";
import { taskRequestSchema } from "../task-request-schema";
import { stepSchema, taskSchema, transitionSchema } from "../task-response-schemas";
import { LATEST_VERSION } from "../template-params";

const utf8Length = (text: string) => new TextEncoder().encode(text).length;
const tags = ["tasks"];
const NO_TASK = "no task with this task_uuid";
const NO_STEP = "no task with this task_uuid, or it has no step with this step_uuid";
const location = { Location: { schema: { type: "string" as const }, description: "/v1/tasks/{task_uuid}" } };

const submit = createRoute({
	method: "post",
	path: "/",
	tags,
	summary: "Submit a task",
	middleware: [requestBodyLimit()] as const,
	request: {
		body: {
			required: true,
			content: { "application/json": { schema: taskRequestSchema.meta({ id: "TaskRequest" }) } },
		},
	},
	responses: {
		201: { ...jsonResponse(taskSchema, "Created"), headers: location },
		...errorResponses({
			400: "a malformed body, a context that does not match the template's input_schema (each failing path and rule named), or a template that needs an idempotency_key",
			404: "no such template, namespace or version",
			409: "a duplicate of an existing task, named in the message and in Location",
			413: "the body or the context is too large",
		}),
	},
});

const getTask = createRoute({
	method: "get",
	path: "/{task_uuid}",
	tags,
	summary: "Read a task, optionally waiting until it has finished",
	request: {
		params: taskUuidParams,
		query: z.object({
			// Given twice, the first counts: this route has always read its one parameter that way.
			wait_seconds: z
				.preprocess((value) => (Array.isArray(value) ? value[0] : value), numberValue(0, MAX_WAIT_SECONDS))
				.optional()
				.meta({ description: "Hold the answer up to this many seconds until the task has finished." }),
		}),
	},
	responses: {
		200: jsonResponse(taskSchema, "The task"),
		...errorResponses({ 400: "a malformed task_uuid or wait_seconds", 404: NO_TASK }),
	},
});

const listSteps = createRoute({
	method: "get",
	path: "/{task_uuid}/workflow_steps",
	tags,
	summary: "A task's workflow steps",
	request: { params: taskUuidParams },
	responses: {
		200: jsonResponse(z.array(stepSchema), "The steps, in template order"),
		...errorResponses({ 400: "a malformed task_uuid", 404: NO_TASK }),
	},
});

const getStep = createRoute({
	method: "get",
	path: "/{task_uuid}/workflow_steps/{step_uuid}",
	tags,
	summary: "One workflow step",
	request: { params: stepUuidParams },
	responses: {
		200: jsonResponse(stepSchema, "The step"),
		...errorResponses({ 400: "a malformed uuid", 404: NO_STEP }),
	},
});

const stepAudit = createRoute({
	method: "get",
	path: "/{task_uuid}/workflow_steps/{step_uuid}/audit",
	tags,
	summary: "A step's transitions",
	request: { params: stepUuidParams },
	responses: {
		200: jsonResponse(z.array(transitionSchema), "The step's transitions, oldest first"),
		...errorResponses({ 400: "a malformed uuid", 404: NO_STEP }),
	},
});

const taskAudit = createRoute({
	method: "get",
	path: "/{task_uuid}/audit",
	tags,
	summary: "A task's transitions, its steps' included",
	request: { params: taskUuidParams },
	responses: {
		200: jsonResponse(z.array(transitionSchema), "The transitions, oldest first"),
		...errorResponses({ 400: "a malformed task_uuid", 404: NO_TASK }),
	},
});

export function taskRoutes(templates: TemplateRegistry) {
	const app = createRouter();

	app.openapi(bodyReadByHandler(app, submit), async (c) => {
		const request = await readJsonBody(c, taskRequestSchema);
		// `latest` means the newest, as in GET /v1/templates/{namespace}/{name}/latest.
		const version = request.version === LATEST_VERSION ? undefined : request.version;
		const found = templates.find(request.namespace, request.name, version);
		if (!found.ok) throw notFound(found.message);
		const contextBytes = utf8Length(JSON.stringify(request.context));
		if (contextBytes > MAX_TASK_CONTEXT_BYTES) {
			throw payloadTooLarge(
				`context is ${contextBytes} bytes as JSON; the limit is ${MAX_TASK_CONTEXT_BYTES}`,
			);
		}
		requireContextMatches(found.template, request.context);
		const outcome = await submitTask(
			c.env,
			{
				template: found.template,
				context: request.context,
				initiator: request.initiator,
				sourceSystem: request.source_system,
				reason: request.reason,
				tags: request.tags,
				priority: request.priority,
				correlationId: request.correlation_id ?? crypto.randomUUID(),
				parentCorrelationId: request.parent_correlation_id ?? null,
			},
			request.idempotency_key,
		);
		const location = { Location: `/v1/tasks/${outcome.taskUuid}` };
		if (outcome.kind === "created") return c.json(outcome.task, 201, location);
		// The envelope stays {error: {code, message}}; the existing task is named in the message and
		// in Location, so a client whose first answer was lost can go and read it.
		return c.json(errorBody("CONFLICT", outcome.message), 409, location);
	});

	app.openapi(getTask, async (c) => {
		const { task_uuid: taskUuid } = c.req.valid("param");
		const { wait_seconds: waitSeconds } = c.req.valid("query");
		const task = await taskObject(c.env, taskUuid).getTask(Math.round((waitSeconds ?? 0) * 1000));
		if (!task) throw noTask(taskUuid);
		return c.json(task, 200);
	});

	app.openapi(listSteps, async (c) => {
		const { task_uuid: taskUuid } = c.req.valid("param");
		const steps = await taskObject(c.env, taskUuid).listSteps();
		if (!steps) throw noTask(taskUuid);
		return c.json(steps, 200);
	});

	app.openapi(getStep, async (c) => {
		const { task_uuid: taskUuid, step_uuid: stepUuid } = c.req.valid("param");
		const step = await taskObject(c.env, taskUuid).getStep(stepUuid);
		if (step === undefined) throw noTask(taskUuid);
		if (step === null) throw noStep(taskUuid, stepUuid);
		return c.json(step, 200);
	});

	app.openapi(stepAudit, async (c) => {
		const { task_uuid: taskUuid, step_uuid: stepUuid } = c.req.valid("param");
		const audit = await taskObject(c.env, taskUuid).getStepAudit(stepUuid);
		if (audit === undefined) throw noTask(taskUuid);
		if (audit === null) throw noStep(taskUuid, stepUuid);
		return c.json(audit, 200);
	});

	app.openapi(taskAudit, async (c) => {
		const { task_uuid: taskUuid } = c.req.valid("param");
		const audit = await taskObject(c.env, taskUuid).getTaskAudit();
		if (!audit) throw noTask(taskUuid);
		return c.json(audit, 200);
	});

	return app;
}

const noTask = (taskUuid: string) => notFound(`no task with task_uuid ${taskUuid}`);
const noStep = (taskUuid: string, stepUuid: string) =>
	notFound(`task ${taskUuid} has no workflow step with step_uuid ${stepUuid}`);
