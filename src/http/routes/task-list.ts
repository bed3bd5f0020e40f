// GET /v1/tasks: the task index, newest first, with the reference's filters and pagination block.
import { createRoute } from "@hono/zod-openapi";
import { TaskState } from "../../core/states";
import { iso } from "../../core/task-views";
import { MAX_NAMESPACE_LENGTH, MAX_TEXT_FIELD_LENGTH } from "../../limits";
import { listTaskIndex, type TaskIndexRow } from "../../task-index/task-index";
import { createRouter } from "../openapi-router";
import { integerValue, oneOfValue, strictQuery, textValue } from "../query-params";
import { errorResponses, jsonResponse } from "../route-responses";
import { taskListSchema } from "../task-response-schemas";

export const DEFAULT_PER_PAGE = 25;
export const MAX_PER_PAGE = 100;

const listTasks = createRoute({
	method: "get",
	path: "/",
	tags: ["tasks"],
	summary: "List tasks, newest first",
	request: {
		query: strictQuery({
			page: integerValue(1, Number.MAX_SAFE_INTEGER).optional().meta({ default: 1 }),
			per_page: integerValue(1, MAX_PER_PAGE).optional().meta({ default: DEFAULT_PER_PAGE }),
			namespace: textValue(MAX_NAMESPACE_LENGTH).optional(),
			status: oneOfValue(Object.values(TaskState)).optional(),
			initiator: textValue(MAX_TEXT_FIELD_LENGTH).optional(),
			source_system: textValue(MAX_TEXT_FIELD_LENGTH).optional(),
		}),
	},
	responses: {
		200: jsonResponse(taskListSchema, "A page of tasks"),
		...errorResponses({ 400: "an unknown, repeated or malformed query parameter" }),
	},
});

export function taskListRoutes() {
	const app = createRouter();
	app.openapi(listTasks, async (c) => {
		const q = c.req.valid("query");
		const page = q.page ?? 1;
		const perPage = q.per_page ?? DEFAULT_PER_PAGE;
		const { rows, total } = await listTaskIndex(
			c.env.TASK_INDEX,
			{ namespace: q.namespace, status: q.status, initiator: q.initiator, sourceSystem: q.source_system },
			page,
			perPage,
		);
		const totalPages = Math.ceil(total / perPage);
		return c.json(
			{
				tasks: rows.map(summaryView),
				pagination: {
					page,
					per_page: perPage,
					total_count: total,
					total_pages: totalPages,
					has_next: page < totalPages,
					has_previous: page > 1,
				},
			},
			200,
		);
	});
	return app;
}

export type TaskSummaryView = ReturnType<typeof summaryView>;

/** A task as the index knows it: identity, request fields and status (step counts live in the task). */
function summaryView(row: TaskIndexRow) {
	return {
		task_uuid: row.task_uuid,
		name: row.name,
		namespace: row.namespace,
		version: row.version,
		status: row.status,
		initiator: row.initiator,
		source_system: row.source_system,
		reason: row.reason,
		priority: row.priority,
		correlation_id: row.correlation_id,
		created_at: iso(row.created_at),
		updated_at: iso(row.updated_at),
		completed_at: iso(row.completed_at),
	};
}
