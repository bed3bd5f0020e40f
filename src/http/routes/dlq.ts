// The DLQ investigation API (reference §7): list entries, read a task's entry with its snapshot,
// record an operator's resolution, and the per-reason stats. Investigation tracking only: nothing
// here retries or changes a task or a step (that is PATCH /v1/tasks/{uuid}/workflow_steps/{step}).
import { createRoute, z } from "@hono/zod-openapi";
import { dlqEntryForTask, dlqStats, listDlqEntries, updateDlqEntry } from "../../dlq/dlq-store";
import { conflict, notFound } from "../api-error";
import {
	dlqEntrySchema,
	dlqListSchema,
	dlqPatchSchema,
	dlqResolutionStatusSchema,
	dlqStatsSchema,
	toDlqEntryView,
	toDlqStatsView,
	toDlqSummaryView,
} from "../dlq-schemas";
import { bodyReadByHandler, createRouter } from "../openapi-router";
import { taskUuidParams, uuidParam } from "../path-params";
import { integerValue, oneOfValue, strictQuery } from "../query-params";
import { readJsonBody } from "../read-json-body";
import { requestBodyLimit } from "../request-body-limit";
import { errorResponses, jsonResponse } from "../route-responses";

export const DEFAULT_DLQ_LIMIT = 50;
export const MAX_DLQ_LIMIT = 200;
const tags = ["dlq"];

const listEntries = createRoute({
	method: "get",
	path: "/",
	tags,
	summary: "List DLQ entries, newest first",
	request: {
		query: strictQuery({
			resolution_status: oneOfValue(dlqResolutionStatusSchema.options).optional(),
			limit: integerValue(1, MAX_DLQ_LIMIT).optional().meta({ default: DEFAULT_DLQ_LIMIT }),
			offset: integerValue(0, Number.MAX_SAFE_INTEGER).optional().meta({ default: 0 }),
		}),
	},
	responses: {
		200: jsonResponse(dlqListSchema, "A page of entries (without their task snapshots)"),
		...errorResponses({ 400: "an unknown, repeated or malformed query parameter" }),
	},
});

const stats = createRoute({
	method: "get",
	path: "/stats",
	tags,
	summary: "DLQ entries per reason and resolution status",
	responses: {
		200: jsonResponse(dlqStatsSchema, "Counts per reason, oldest and newest entry, mean time to resolution"),
		...errorResponses({}),
	},
});

const forTask = createRoute({
	method: "get",
	path: "/task/{task_uuid}",
	tags,
	summary: "A task's DLQ entry, with its snapshot (its pending one, else its newest)",
	request: { params: taskUuidParams },
	responses: {
		200: jsonResponse(dlqEntrySchema, "The entry"),
		...errorResponses({ 400: "a malformed task_uuid", 404: "the task has no DLQ entry" }),
	},
});

const entryParams = z.object({ dlq_entry_uuid: uuidParam("The DLQ entry's uuid.") });

const resolveEntry = createRoute({
	method: "patch",
	path: "/entry/{dlq_entry_uuid}",
	tags,
	summary: "Record an investigation's outcome: resolution status, notes, who, metadata",
	middleware: [requestBodyLimit()] as const,
	request: {
		params: entryParams,
		body: { required: true, content: { "application/json": { schema: dlqPatchSchema } } },
	},
	responses: {
		200: jsonResponse(dlqEntrySchema, "The entry after the change"),
		...errorResponses({
			400: "a malformed uuid or body",
			404: "no DLQ entry with this uuid",
			409: "the entry is already resolved (a resolution is final), or the body sets it back to pending",
			413: "the body is too large",
		}),
	},
});

export function dlqRoutes() {
	const app = createRouter();

	app.openapi(listEntries, async (c) => {
		const q = c.req.valid("query");
		const limit = q.limit ?? DEFAULT_DLQ_LIMIT;
		const offset = q.offset ?? 0;
		const { entries, total } = await listDlqEntries(
			c.env.TASK_INDEX,
			{ resolutionStatus: q.resolution_status },
			limit,
			offset,
		);
		return c.json({ entries: entries.map(toDlqSummaryView), total_count: total, limit, offset }, 200);
	});

	app.openapi(stats, async (c) => c.json(toDlqStatsView(await dlqStats(c.env.TASK_INDEX)), 200));

	app.openapi(forTask, async (c) => {
		const { task_uuid: taskUuid } = c.req.valid("param");
		const entry = await dlqEntryForTask(c.env.TASK_INDEX, taskUuid);
		if (!entry) throw notFound(`task ${taskUuid} has no DLQ entry`);
		return c.json(toDlqEntryView(entry), 200);
	});

	app.openapi(bodyReadByHandler(app, resolveEntry), async (c) => {
		const { dlq_entry_uuid: entryUuid } = c.req.valid("param");
		const patch = await readJsonBody(c, dlqPatchSchema);
		const outcome = await updateDlqEntry(c.env.TASK_INDEX, entryUuid, patch, Date.now());
		if (outcome.kind === "unknown") throw notFound(`no DLQ entry with dlq_entry_uuid ${entryUuid}`);
		if (outcome.kind === "conflict") throw conflict(outcome.message);
		return c.json(toDlqEntryView(outcome.entry), 200);
	});

	return app;
}
