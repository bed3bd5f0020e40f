// The Hono router: every route, one error mapping, a request id on every response.
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import type { HandlerRegistry } from "../registry/handler-registry";
import type { TemplateRegistry } from "../registry/template-registry";
import { authorize } from "./authorize";
import { handleError, handleNotFound } from "./error-handler";
import { healthRoutes } from "./routes/health";
import { metricsRoutes } from "./routes/metrics";
import { taskActionRoutes } from "./routes/task-actions";
import { taskListRoutes } from "./routes/task-list";
import { taskRoutes } from "./routes/tasks";
import { templateRoutes } from "./routes/templates";

export function createApp(templates: TemplateRegistry, handlers: HandlerRegistry) {
	const app = new Hono<{ Bindings: Env }>();
	app.use(requestId());
	app.use(authorize());
	app.route("/health", healthRoutes(templates, handlers));
	app.route("/v1/tasks", taskRoutes(templates));
	app.route("/v1/tasks", taskActionRoutes());
	app.route("/v1/tasks", taskListRoutes());
	app.route("/v1/templates", templateRoutes(templates, handlers));
	app.route("/metrics", metricsRoutes());
	app.notFound(handleNotFound);
	app.onError(handleError);
	return app;
}
