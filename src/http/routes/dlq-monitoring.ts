// GET /v1/dlq/investigation-queue and /v1/dlq/staleness: the reference's two DLQ monitoring reads
// (pending entries in triage order; running tasks against their staleness thresholds), from D1.
import { createRoute, z } from "@hono/zod-openapi";
import { iso } from "../../core/task-views";
import { investigationQueue, stalenessMonitoring } from "../../dlq/dlq-monitoring";
import type { TemplateRegistry } from "../../registry/template-registry";
import { dlqReasonSchema } from "../dlq-schemas";
import { createRouter } from "../openapi-router";
import { integerValue, strictQuery } from "../query-params";
import { errorResponses, jsonResponse } from "../route-responses";

export const DEFAULT_MONITORING_LIMIT = 100;
export const MAX_MONITORING_LIMIT = 1000;
const tags = ["dlq"];
const limitQuery = strictQuery({
	limit: integerValue(1, MAX_MONITORING_LIMIT).optional().meta({ default: DEFAULT_MONITORING_LIMIT }),
});

export const queueEntrySchema = z
	.object({
		dlq_entry_uuid: z.string().meta({ format: "uuid" }),
		task_uuid: z.string().meta({ format: "uuid" }),
		original_state: z.string(),
		dlq_reason: dlqReasonSchema,
		dlq_timestamp: z.string().meta({ format: "date-time" }),
		minutes_in_dlq: z.number(),
		namespace_name: z.string().nullable(),
		task_name: z.string().nullable(),
		current_state: z.string().nullable().meta({ description: "The task's status now, from the task index." }),
		time_in_state_minutes: z.number().int().nullable(),
		priority_score: z.number().meta({
			description:
				"Triage order, highest first: a base per reason (dependency_cycle_detected 1000, max_retries_exceeded 500, staleness_timeout 100, worker_unavailable 50, other 10) plus the minutes in the DLQ.",
		}),
	})
	.meta({ id: "DlqInvestigationQueueEntry" });

export const stalenessSchema = z
	.object({
		task_uuid: z.string().meta({ format: "uuid" }),
		namespace_name: z.string().nullable(),
		task_name: z.string().nullable(),
		current_state: z.string(),
		time_in_state_minutes: z.number().int(),
		task_age_minutes: z.number().int(),
		staleness_threshold_minutes: z.number().int(),
		health_status: z.enum(["healthy", "warning", "stale"]).meta({
			description: "healthy: under 80% of the threshold; warning: 80–100%; stale: at or past it.",
		}),
		priority: z.number().int(),
	})
	.meta({ id: "StalenessMonitoring" });

const queueRoute = createRoute({
	method: "get",
	path: "/investigation-queue",
	tags,
	summary: "Pending DLQ entries in triage order (highest priority score first)",
	request: { query: limitQuery },
	responses: {
		200: jsonResponse(z.array(queueEntrySchema), "The pending entries, most urgent first"),
		...errorResponses({ 400: "an unknown, repeated or malformed query parameter" }),
	},
});

const stalenessRoute = createRoute({
	method: "get",
	path: "/staleness",
	tags,
	summary: "Running tasks against their staleness thresholds (stale first)",
	request: { query: limitQuery },
	responses: {
		200: jsonResponse(
			z.array(stalenessSchema),
			"Tasks waiting or in process, stale first, then warning, then healthy",
		),
		...errorResponses({ 400: "an unknown, repeated or malformed query parameter" }),
	},
});

export function dlqMonitoringRoutes(templates: TemplateRegistry) {
	const app = createRouter();
	app.openapi(queueRoute, async (c) => {
		const rows = await investigationQueue(
			c.env.TASK_INDEX,
			Date.now(),
			c.req.valid("query").limit ?? DEFAULT_MONITORING_LIMIT,
		);
		return c.json(
			rows.map((r) => ({
				...r,
				dlq_reason: r.dlq_reason as z.infer<typeof dlqReasonSchema>,
				dlq_timestamp: iso(r.dlq_timestamp) ?? "",
			})),
			200,
		);
	});
	app.openapi(stalenessRoute, async (c) => {
		const limit = c.req.valid("query").limit ?? DEFAULT_MONITORING_LIMIT;
		return c.json(await stalenessMonitoring(c.env.TASK_INDEX, templates, Date.now(), limit), 200);
	});
	return app;
}
