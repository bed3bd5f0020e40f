// GET /health: public liveness of the Worker itself.
import { Hono } from "hono";

export function healthRoutes() {
	const app = new Hono<{ Bindings: Env }>();
	app.get("/", (c) => c.json({ status: "healthy", timestamp: new Date().toISOString() }));
	return app;
}
