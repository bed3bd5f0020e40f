// GET /metrics: the fleet-wide counters and step duration histograms, in Prometheus text. They are
// read from D1, where every task object adds its deltas (durable-objects/fleet-sync.ts), so they are
// true across all task objects and isolates, not per isolate.
import { Hono } from "hono";
import { readMetrics } from "../../metrics/metrics-store";
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from "../../metrics/prometheus-text";

export function metricsRoutes() {
	const app = new Hono<{ Bindings: Env }>();
	app.get("/", async (c) => {
		const { counters, durations } = await readMetrics(c.env.TASK_INDEX);
		return c.body(renderPrometheus(counters, durations), 200, { "Content-Type": PROMETHEUS_CONTENT_TYPE });
	});
	return app;
}
