// The Hono router: every route, one error mapping, a request id on every response.
import { requestId } from "hono/request-id";
import type { HandlerRegistry } from "../registry/handler-registry";
import type { TemplateRegistry } from "../registry/template-registry";
import { mountApiDocs } from "./api-docs";
import { authorize } from "./authorize";
import { handleError, handleNotFound } from "./error-handler";
import { createRouter } from "./openapi-router";
import { analyticsRoutes } from "./routes/analytics";
import { configRoutes } from "./routes/config";
import { dlqRoutes } from "./routes/dlq";
import { dlqMonitoringRoutes } from "./routes/dlq-monitoring";
import { healthRoutes } from "./routes/health";
import { metricsRoutes } from "./routes/metrics";
import { taskActionRoutes } from "./routes/task-actions";
import { taskEventRoutes } from "./routes/task-events";
import { taskListRoutes } from "./routes/task-list";
import { taskStreamRoutes } from "./routes/task-stream";
import { taskRoutes } from "./routes/tasks";
import { templateRoutes } from "./routes/templates";
import { workerRoutes } from "./routes/workers";
import { mountDashboard } from "./ui/mount-dashboard";

export function createApp(templates: TemplateRegistry, handlers: HandlerRegistry) {
	const app = createRouter();
	app.use(requestId());
	app.use(authorize());
	app.route("/health", healthRoutes(templates, handlers));
	app.route("/v1/tasks", taskRoutes(templates));
	app.route("/v1/tasks", taskActionRoutes());
	app.route("/v1/tasks", taskListRoutes());
	app.route("/v1/tasks", taskEventRoutes());
	app.route("/v1/tasks", taskStreamRoutes());
	app.route("/v1/templates", templateRoutes(templates, handlers));
	app.route("/v1/dlq", dlqMonitoringRoutes(templates));
	app.route("/v1/dlq", dlqRoutes());
	app.route("/v1/workers", workerRoutes());
	app.route("/v1/analytics", analyticsRoutes());
	app.route("/config", configRoutes());
	app.route("/metrics", metricsRoutes());
	mountApiDocs(app);
	mountDashboard(app);
	app.notFound(handleNotFound);
	app.onError(handleError);
	return app;
}
