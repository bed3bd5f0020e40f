// The Hono router: every route, one error mapping, a request id on every response.
import { requestId } from "hono/request-id";
import type { HandlerRegistry } from "../registry/handler-registry";
import type { TemplateRegistry } from "../registry/template-registry";
import { mountApiDocs } from "./api-docs";
import { authorize } from "./authorize";
import { handleError, handleNotFound } from "./error-handler";
import { createRouter } from "./openapi-router";
import { dlqRoutes } from "./routes/dlq";
import { healthRoutes } from "./routes/health";
import { metricsRoutes } from "./routes/metrics";
import { scheduleRoutes } from "./routes/schedules";
import { taskActionRoutes } from "./routes/task-actions";
import { taskEventRoutes } from "./routes/task-events";
import { taskListRoutes } from "./routes/task-list";
import { taskRoutes } from "./routes/tasks";
import { templateRoutes } from "./routes/templates";

export function createApp(templates: TemplateRegistry, handlers: HandlerRegistry) {
	const app = createRouter();
	app.use(requestId());
	app.use(authorize());
	app.route("/health", healthRoutes(templates, handlers));
	app.route("/v1/tasks", taskRoutes(templates));
	app.route("/v1/tasks", taskActionRoutes());
	app.route("/v1/tasks", taskListRoutes());
	app.route("/v1/tasks", taskEventRoutes());
	app.route("/v1/templates", templateRoutes(templates, handlers));
	app.route("/v1/dlq", dlqRoutes());
	app.route("/v1/schedules", scheduleRoutes(templates));
	app.route("/metrics", metricsRoutes());
	mountApiDocs(app);
	app.notFound(handleNotFound);
	app.onError(handleError);
	return app;
}
