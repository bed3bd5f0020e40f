// /v1/schedules: tasks that run on a schedule. Each schedule is a Durable Object driving itself by
// alarm (durable-objects/schedule-object.ts); the list is read from its index in D1.
import { createRoute, z } from "@hono/zod-openapi";
import { v7 as uuidv7 } from "uuid";
import { MAX_NAMESPACE_LENGTH } from "../../limits";
import type { TemplateRegistry } from "../../registry/template-registry";
import type { ScheduleReply } from "../../schedule-object-stub";
import { scheduleObject } from "../../schedule-object-stub";
import { checkSettings } from "../../schedules/check-settings";
import { indexedTaskStatuses, listScheduleIndex } from "../../schedules/schedule-index";
import { syncTemplateSchedules } from "../../schedules/sync-template-schedules";
import { ApiError, notFound } from "../api-error";
import { bodyReadByHandler, createRouter } from "../openapi-router";
import { uuidParam } from "../path-params";
import { integerValue, strictQuery, textValue } from "../query-params";
import { readJsonBody } from "../read-json-body";
import { requestBodyLimit } from "../request-body-limit";
import { errorResponses, jsonResponse } from "../route-responses";
import {
	changeScheduleSchema,
	createScheduleSchema,
	scheduleDetailSchema,
	scheduleListSchema,
	scheduleRunSchema,
	scheduleSchema,
	scheduleSyncSchema,
	triggerScheduleSchema,
} from "../schedule-schemas";
import { LATEST_VERSION } from "../template-params";

const tags = ["schedules"];
const DEFAULT_PER_PAGE = 25;
const MAX_PER_PAGE = 100;
const params = z.object({ schedule_id: uuidParam("The schedule's id (a UUIDv7).") });
const NO_SCHEDULE = "no schedule with this schedule_id";

const create = createRoute({
	method: "post",
	path: "/",
	tags,
	summary: "Create a schedule: a template run on a cron, in a time zone",
	middleware: [requestBodyLimit()] as const,
	request: {
		body: {
			required: true,
			content: { "application/json": { schema: createScheduleSchema.meta({ id: "ScheduleRequest" }) } },
		},
	},
	responses: {
		201: jsonResponse(scheduleSchema, "Created"),
		...errorResponses({
			400: "a malformed body; a cron or timezone the parser refuses (its reason is named)",
			404: "no such template, namespace or version",
			413: "the body or the context is too large",
		}),
	},
});

const list = createRoute({
	method: "get",
	path: "/",
	tags,
	summary: "List schedules, oldest first",
	request: {
		query: strictQuery({
			page: integerValue(1, Number.MAX_SAFE_INTEGER).optional().meta({ default: 1 }),
			per_page: integerValue(1, MAX_PER_PAGE).optional().meta({ default: DEFAULT_PER_PAGE }),
			namespace: textValue(MAX_NAMESPACE_LENGTH).optional(),
		}),
	},
	responses: {
		200: jsonResponse(scheduleListSchema, "A page of schedules"),
		...errorResponses({ 400: "an unknown, repeated or malformed query parameter" }),
	},
});

const read = createRoute({
	method: "get",
	path: "/{schedule_id}",
	tags,
	summary: "A schedule with its next due times and its last runs (with their tasks)",
	request: { params },
	responses: {
		200: jsonResponse(scheduleDetailSchema, "The schedule"),
		...errorResponses({ 400: "a malformed schedule_id", 404: NO_SCHEDULE }),
	},
});

const change = createRoute({
	method: "patch",
	path: "/{schedule_id}",
	tags,
	summary: "Pause, resume or change a schedule",
	middleware: [requestBodyLimit()] as const,
	request: {
		params,
		body: {
			required: true,
			content: { "application/json": { schema: changeScheduleSchema.meta({ id: "ScheduleChange" }) } },
		},
	},
	responses: {
		200: jsonResponse(scheduleSchema, "The changed schedule"),
		...errorResponses({
			400: "a malformed schedule_id or body",
			404: "no such schedule, or no such template version",
			413: "the body or the context is too large",
		}),
	},
});

const remove = createRoute({
	method: "delete",
	path: "/{schedule_id}",
	tags,
	summary: "Delete a schedule (tasks it started go on)",
	request: { params },
	responses: {
		200: jsonResponse(scheduleSchema, "The deleted schedule, as it was (paused: it runs no more)"),
		...errorResponses({ 400: "a malformed schedule_id", 404: NO_SCHEDULE }),
	},
});

const trigger = createRoute({
	method: "post",
	path: "/{schedule_id}/trigger",
	tags,
	summary: "Run a schedule now, under its overlap policy or the one given",
	middleware: [requestBodyLimit()] as const,
	request: {
		params,
		body: {
			required: false,
			content: { "application/json": { schema: triggerScheduleSchema.meta({ id: "ScheduleTrigger" }) } },
		},
	},
	responses: {
		201: jsonResponse(scheduleRunSchema, "The run: started (with its task), skipped or failed"),
		...errorResponses({ 400: "a malformed schedule_id or body", 404: NO_SCHEDULE }),
	},
});

const sync = createRoute({
	method: "post",
	path: "/sync",
	tags,
	summary: "Make the schedules match the templates' schedules: (run after a deploy and when dev starts)",
	description:
		"Idempotent. Each schedule a template declares has an id derived from its namespace, its template and its name: missing, it is created; changed, it is updated; a template schedule no template declares any more is paused. Schedules made by POST /v1/schedules are never touched.",
	responses: {
		200: jsonResponse(scheduleSyncSchema, "What the sync did, schedule by schedule"),
		...errorResponses({}),
	},
});

export function scheduleRoutes(templates: TemplateRegistry) {
	const app = createRouter();

	// Before /{schedule_id}: "sync" is never a schedule id (those are UUIDs).
	app.openapi(sync, async (c) => c.json(await syncTemplateSchedules(c.env, templates), 200));

	app.openapi(bodyReadByHandler(app, create), async (c) => {
		const body = await readJsonBody(c, createScheduleSchema);
		const settings = {
			namespace: body.namespace,
			name: body.name,
			version: body.version === LATEST_VERSION ? null : (body.version ?? null),
			cron: body.cron,
			timezone: body.timezone,
			context: body.context,
			overlap: body.overlap,
			catchUp: body.catch_up,
			paused: body.paused,
		};
		// Checked here too, so that a bad schedule never creates an object.
		const problem = checkSettings(settings, templates);
		if (problem) throw new ApiError(problem.status, codeOf(problem.status), problem.message);
		const scheduleId = uuidv7();
		const view = applied(await scheduleObject(c.env, scheduleId).create(scheduleId, settings), scheduleId);
		return c.json(view, 201, { Location: `/v1/schedules/${scheduleId}` });
	});

	app.openapi(list, async (c) => {
		const q = c.req.valid("query");
		const page = q.page ?? 1;
		const perPage = q.per_page ?? DEFAULT_PER_PAGE;
		const { schedules, total } = await listScheduleIndex(c.env.TASK_INDEX, {
			namespace: q.namespace,
			limit: perPage,
			offset: (page - 1) * perPage,
		});
		const totalPages = Math.ceil(total / perPage);
		const pagination = {
			page,
			per_page: perPage,
			total_count: total,
			total_pages: totalPages,
			has_next: page < totalPages,
			has_previous: page > 1,
		};
		return c.json({ schedules, pagination }, 200);
	});

	app.openapi(read, async (c) => {
		const { schedule_id: scheduleId } = c.req.valid("param");
		const detail = await scheduleObject(c.env, scheduleId).read();
		if (!detail) throw noSchedule(scheduleId);
		const uuids = detail.last_runs.flatMap((run) => (run.task_uuid ? [run.task_uuid] : []));
		const statuses = await indexedTaskStatuses(c.env.TASK_INDEX, uuids);
		const lastRuns = detail.last_runs.map((run) => ({
			...run,
			task_status: run.task_uuid ? (statuses.get(run.task_uuid) ?? null) : null,
		}));
		return c.json({ ...detail, last_runs: lastRuns }, 200);
	});

	app.openapi(bodyReadByHandler(app, change), async (c) => {
		const { schedule_id: scheduleId } = c.req.valid("param");
		const body = await readJsonBody(c, changeScheduleSchema);
		const reply = await scheduleObject(c.env, scheduleId).change({
			// `latest` (or null): each run takes the newest version, as when none is given.
			version: body.version === LATEST_VERSION ? null : body.version,
			cron: body.cron,
			timezone: body.timezone,
			context: body.context,
			overlap: body.overlap,
			catchUp: body.catch_up,
			paused: body.paused,
		});
		return c.json(applied(reply, scheduleId), 200);
	});

	app.openapi(remove, async (c) => {
		const { schedule_id: scheduleId } = c.req.valid("param");
		const removed = await scheduleObject(c.env, scheduleId).remove();
		if (!removed) throw noSchedule(scheduleId);
		return c.json(removed, 200);
	});

	app.openapi(bodyReadByHandler(app, trigger), async (c) => {
		const { schedule_id: scheduleId } = c.req.valid("param");
		// The body is optional: an empty one runs under the schedule's own overlap policy.
		const text = await c.req.raw.clone().text();
		const body = text.trim() === "" ? {} : await readJsonBody(c, triggerScheduleSchema);
		const reply = await scheduleObject(c.env, scheduleId).trigger(body.overlap ?? null);
		return c.json(applied(reply, scheduleId), 201);
	});

	return app;
}

function applied<T>(reply: ScheduleReply<T>, scheduleId: string): T {
	if (reply.kind === "unknown_schedule") throw noSchedule(scheduleId);
	if (reply.kind === "invalid") {
		throw new ApiError(reply.problem.status, codeOf(reply.problem.status), reply.problem.message);
	}
	return reply.value;
}

function codeOf(status: 400 | 404 | 413): string {
	return status === 400 ? "BAD_REQUEST" : status === 404 ? "NOT_FOUND" : "PAYLOAD_TOO_LARGE";
}

const noSchedule = (scheduleId: string) => notFound(`no schedule with schedule_id ${scheduleId}`);
