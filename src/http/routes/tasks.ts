// /v1/tasks: submit a task (one new Durable Object), read it, its steps and their transitions.
import { Hono } from "hono";
import { MAX_TASK_CONTEXT_BYTES, MAX_WAIT_SECONDS } from "../../limits";
import type { TemplateRegistry } from "../../registry/template-registry";
import { taskObject } from "../../task-object-stub";
import { conflict, notFound, payloadTooLarge } from "../api-error";
import { errorBody } from "../error-handler";
import { optionalNumberInRange, requireUuid } from "../path-params";
import { readJsonBody } from "../read-json-body";
import { requestBodyLimit } from "../request-body-limit";
import { submitTask } from "../submit-task";
import { taskRequestSchema } from "../task-request-schema";

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

export function taskRoutes(templates: TemplateRegistry) {
	const app = new Hono<{ Bindings: Env }>();

	app.post("/", requestBodyLimit(), async (c) => {
		const request = await readJsonBody(c, taskRequestSchema);
		const found = templates.find(request.namespace, request.name, request.version);
		if (!found.ok) throw notFound(found.message);
		const contextBytes = utf8Length(JSON.stringify(request.context));
		if (contextBytes > MAX_TASK_CONTEXT_BYTES) {
			throw payloadTooLarge(
				`context is ${contextBytes} bytes as JSON; the limit is ${MAX_TASK_CONTEXT_BYTES}`,
			);
		}
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
		const duplicate = conflict(outcome.message);
		return c.json(errorBody(duplicate.code, duplicate.message), duplicate.status, location);
	});

	app.get("/:task_uuid", async (c) => {
		const taskUuid = requireUuid("task_uuid", c.req.param("task_uuid"));
		const waitSeconds = optionalNumberInRange(
			"wait_seconds",
			c.req.query("wait_seconds"),
			0,
			MAX_WAIT_SECONDS,
		);
		const task = await taskObject(c.env, taskUuid).getTask(Math.round((waitSeconds ?? 0) * 1000));
		if (!task) throw noTask(taskUuid);
		return c.json(task);
	});

	app.get("/:task_uuid/workflow_steps", async (c) => {
		const taskUuid = requireUuid("task_uuid", c.req.param("task_uuid"));
		const steps = await taskObject(c.env, taskUuid).listSteps();
		if (!steps) throw noTask(taskUuid);
		return c.json(steps);
	});

	app.get("/:task_uuid/workflow_steps/:step_uuid", async (c) => {
		const taskUuid = requireUuid("task_uuid", c.req.param("task_uuid"));
		const stepUuid = requireUuid("step_uuid", c.req.param("step_uuid"));
		const step = await taskObject(c.env, taskUuid).getStep(stepUuid);
		if (step === undefined) throw noTask(taskUuid);
		if (step === null) throw noStep(taskUuid, stepUuid);
		return c.json(step);
	});

	app.get("/:task_uuid/workflow_steps/:step_uuid/audit", async (c) => {
		const taskUuid = requireUuid("task_uuid", c.req.param("task_uuid"));
		const stepUuid = requireUuid("step_uuid", c.req.param("step_uuid"));
		const audit = await taskObject(c.env, taskUuid).getStepAudit(stepUuid);
		if (audit === undefined) throw noTask(taskUuid);
		if (audit === null) throw noStep(taskUuid, stepUuid);
		return c.json(audit);
	});

	app.get("/:task_uuid/audit", async (c) => {
		const taskUuid = requireUuid("task_uuid", c.req.param("task_uuid"));
		const audit = await taskObject(c.env, taskUuid).getTaskAudit();
		if (!audit) throw noTask(taskUuid);
		return c.json(audit);
	});

	return app;
}

const noTask = (taskUuid: string) => notFound(`no task with task_uuid ${taskUuid}`);
const noStep = (taskUuid: string, stepUuid: string) =>
	notFound(`task ${taskUuid} has no workflow step with step_uuid ${stepUuid}`);
