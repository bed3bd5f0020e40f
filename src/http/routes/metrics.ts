// GET /metrics: the fleet-wide counters and step duration histograms, in Prometheus text. They are
// read from D1, where every task object adds its deltas (durable-objects/fleet-sync.ts), so they are
// true across all task objects and isolates, not per isolate.
import { createRoute, z } from "@hono/zod-openapi";
import { readMetrics } from "../../metrics/metrics-store";
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from "../../metrics/prometheus-text";
import { renderScheduleMetrics } from "../../metrics/schedule-metrics-text";
import { scheduleRunCounts } from "../../schedules/schedule-index";
import { createRouter } from "../openapi-router";
import { errorResponses } from "../route-responses";

const metrics = createRoute({
	method: "get",
	path: "/",
	tags: ["metrics"],
	summary: "Fleet-wide counters and step duration histograms (Prometheus text format 0.0.4)",
	responses: {
		200: {
			description: "The metrics, in the Prometheus text exposition format",
			content: { [PROMETHEUS_CONTENT_TYPE]: { schema: z.string() } },
		},
		...errorResponses({}),
	},
});

export function metricsRoutes() {
	const app = createRouter();
	app.openapi(metrics, async (c) => {
		const [{ counters, durations, messages }, scheduleRuns] = await Promise.all([
			readMetrics(c.env.TASK_INDEX),
			scheduleRunCounts(c.env.TASK_INDEX),
		]);
		const text = renderPrometheus(counters, durations, messages) + renderScheduleMetrics(scheduleRuns);
		return c.text(text, 200, {
			"Content-Type": PROMETHEUS_CONTENT_TYPE,
		});
	});
	return app;
}
