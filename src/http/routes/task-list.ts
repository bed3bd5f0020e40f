// GET /v1/tasks: the task index, newest first, with the reference's filters and pagination block.
import { Hono } from "hono";
import { TaskState } from "../../core/states";
import { iso } from "../../core/task-views";
import { MAX_NAMESPACE_LENGTH, MAX_TEXT_FIELD_LENGTH } from "../../limits";
import { listTaskIndex, type TaskIndexRow } from "../../task-index/task-index";
import { describeValue } from "../../validation/field-schemas";
import { badRequest } from "../api-error";
import { readQuery } from "../query-params";

const QUERY = ["page", "per_page", "namespace", "status", "initiator", "source_system"] as const;
const TASK_STATES: readonly string[] = Object.values(TaskState);
export const DEFAULT_PER_PAGE = 25;
export const MAX_PER_PAGE = 100;

export function taskListRoutes() {
	const app = new Hono<{ Bindings: Env }>();
	app.get("/", async (c) => {
		const q = readQuery(c, QUERY);
		const page = integer("page", q.page, 1, Number.MAX_SAFE_INTEGER) ?? 1;
		const perPage = integer("per_page", q.per_page, 1, MAX_PER_PAGE) ?? DEFAULT_PER_PAGE;
		if (q.status !== undefined && !TASK_STATES.includes(q.status)) {
			throw badRequest(`status: expected one of ${TASK_STATES.join(", ")}, got ${describeValue(q.status)}`);
		}
		text("namespace", q.namespace, MAX_NAMESPACE_LENGTH);
		text("initiator", q.initiator, MAX_TEXT_FIELD_LENGTH);
		text("source_system", q.source_system, MAX_TEXT_FIELD_LENGTH);
		const { rows, total } = await listTaskIndex(
			c.env.TASK_INDEX,
			{ namespace: q.namespace, status: q.status, initiator: q.initiator, sourceSystem: q.source_system },
			page,
			perPage,
		);
		const totalPages = Math.ceil(total / perPage);
		return c.json({
			tasks: rows.map(summaryView),
			pagination: {
				page,
				per_page: perPage,
				total_count: total,
				total_pages: totalPages,
				has_next: page < totalPages,
				has_previous: page > 1,
			},
		});
	});
	return app;
}

function integer(name: string, value: string | undefined, min: number, max: number): number | undefined {
	if (value === undefined) return undefined;
	const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
	if (!Number.isSafeInteger(n) || n < min || n > max) {
		const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
		throw badRequest(`${name}: expected an integer ${range}, got ${describeValue(value)}`);
	}
	return n;
}

function text(name: string, value: string | undefined, maxLength: number): void {
	if (value !== undefined && (value.length === 0 || value.length > maxLength)) {
		throw badRequest(`${name}: expected 1 to ${maxLength} characters, got ${describeValue(value)}`);
	}
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
