// /health and its family, all public: liveness of the Worker, readiness (it can serve tasks: templates are
// registered and their handlers too) and a detailed view for operators.
import { Hono } from "hono";
// A named import: the bundler keeps only this one field of package.json.
import { version } from "../../../package.json";
import type { HandlerRegistry } from "../../registry/handler-registry";
import type { TemplateRegistry } from "../../registry/template-registry";

export function healthRoutes(templates: TemplateRegistry, handlers: HandlerRegistry) {
	const app = new Hono<{ Bindings: Env }>();
	// Both registries are fixed when the Worker starts, so readiness is decided once.
	const checks = readinessChecks(templates, handlers);
	const ready = checks.templates.status === "healthy" && checks.handlers.status === "healthy";
	const namespaces = templates.namespaces();
	const now = () => new Date().toISOString();

	app.get("/", (c) => c.json({ status: "healthy", timestamp: now() }));

	app.get("/live", (c) => c.json({ status: "alive", timestamp: now() }));

	app.get("/ready", (c) => c.json({ status: ready ? "ready" : "not_ready", checks }, ready ? 200 : 503));

	app.get("/detailed", (c) => {
		// Typed as possibly absent: a misconfigured wrangler.toml is exactly what this reports.
		const env = c.env as Partial<Env> | undefined;
		const bindings = {
			tasks: typeof env?.TASKS?.idFromName === "function",
			step_queue: typeof env?.STEP_QUEUE?.send === "function",
		};
		const healthy = ready && bindings.tasks && bindings.step_queue;
		return c.json(
			{
				status: healthy ? "healthy" : "unhealthy",
				timestamp: now(),
				version,
				templates: { count: checks.templates.count, namespaces },
				handlers: { count: checks.handlers.count },
				bindings,
			},
			healthy ? 200 : 503,
		);
	});

	return app;
}

/** Ready when some template is registered and every handler its steps name is registered too. */
function readinessChecks(templates: TemplateRegistry, handlers: HandlerRegistry) {
	const all = templates.list();
	const callables = new Set(all.flatMap((template) => template.steps.map((step) => step.callable)));
	const missing = [...callables].filter((name) => handlers.get(name) === undefined).sort();
	const check = (count: number, problem: string | null) =>
		problem === null ? { status: "healthy", count } : { status: "unhealthy", count, message: problem };
	return {
		templates: check(all.length, all.length > 0 ? null : "no task template is registered"),
		handlers: check(
			handlers.size,
			missing.length === 0 ? null : `templates name handlers that are not registered: ${missing.join(", ")}`,
		),
	};
}
