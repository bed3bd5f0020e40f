// /health and its family, all public: liveness of the Worker, readiness (it can serve tasks: templates are
// registered, their handlers too unless another Worker runs their namespace) and a detailed view.
import { Hono } from "hono";
// A named import: the bundler keeps only this one field of package.json.
import { version } from "../../../package.json";
import { routedNamespaces } from "../../core/namespace-routes";
import { type NamespaceQueues, namespaceQueues } from "../../queue/namespace-queues";
import type { HandlerRegistry } from "../../registry/handler-registry";
import type { TemplateRegistry } from "../../registry/template-registry";

export function healthRoutes(templates: TemplateRegistry, handlers: HandlerRegistry) {
	const app = new Hono<{ Bindings: Env }>();
	// The registries are fixed when the Worker starts; the routes come with the env (checked once per env).
	const readiness = (env: object | undefined) => {
		const queues = namespaceQueues(env ?? {});
		const checks = readinessChecks(templates, handlers, queues);
		const ready = Object.values(checks).every((check) => check.status === "healthy");
		return { checks, ready };
	};
	const namespaces = templates.namespaces();
	const now = () => new Date().toISOString();

	app.get("/", (c) => c.json({ status: "healthy", timestamp: now() }));

	app.get("/live", (c) => c.json({ status: "alive", timestamp: now() }));

	app.get("/ready", (c) => {
		const { checks, ready } = readiness(c.env);
		return c.json({ status: ready ? "ready" : "not_ready", checks }, ready ? 200 : 503);
	});

	app.get("/detailed", (c) => {
		// Typed as possibly absent: a misconfigured wrangler.toml is exactly what this reports.
		const env = c.env as Partial<Env> | undefined;
		const { checks, ready } = readiness(env);
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

/**
 * Ready when some template is registered, NAMESPACE_QUEUES is valid, and every handler the templates
 * name is registered here, except in namespaces routed to another Worker's queue: that Worker runs them.
 */
function readinessChecks(templates: TemplateRegistry, handlers: HandlerRegistry, queues: NamespaceQueues) {
	const all = templates.list();
	const elsewhere = queues.ok ? routedNamespaces(queues.routes) : new Set<string>();
	const local = all.filter((template) => !elsewhere.has(template.namespace));
	const callables = new Set(local.flatMap((template) => template.steps.map((step) => step.callable)));
	const missing = [...callables].filter((name) => handlers.get(name) === undefined).sort();
	const check = (count: number, problem: string | null) =>
		problem === null ? { status: "healthy", count } : { status: "unhealthy", count, message: problem };
	const routes = queues.ok ? Object.fromEntries(queues.routes) : {};
	return {
		templates: check(all.length, all.length > 0 ? null : "no task template is registered"),
		handlers: check(
			handlers.size,
			missing.length === 0 ? null : `templates name handlers that are not registered: ${missing.join(", ")}`,
		),
		namespace_queues: queues.ok
			? { status: "healthy", routes }
			: { status: "unhealthy", routes, message: queues.problems.join("; ") },
	};
}
