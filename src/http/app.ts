// The Hono router: every route, one error mapping, a request id on every response.
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import type { TemplateRegistry } from "../registry/template-registry";
import { handleError, handleNotFound } from "./error-handler";
import { healthRoutes } from "./routes/health";
import { taskRoutes } from "./routes/tasks";

export function createApp(templates: TemplateRegistry) {
	const app = new Hono<{ Bindings: Env }>();
	app.use(requestId());
	app.route("/health", healthRoutes());
	app.route("/v1/tasks", taskRoutes(templates));
	app.notFound(handleNotFound);
	app.onError(handleError);
	return app;
}
