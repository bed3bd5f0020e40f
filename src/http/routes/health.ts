// /health and its family, all public: liveness of the Worker, readiness (it can serve tasks: templates are
// registered and their handlers too) and a detailed view for operators.
import { createRoute } from "@hono/zod-openapi";
// A named import: the bundler keeps only this one field of package.json.
import { version } from "../../../package.json";
import type { HandlerRegistry } from "../../registry/handler-registry";
import type { TemplateRegistry } from "../../registry/template-registry";
import {
	detailedHealthSchema,
	type HealthCheck,
	healthSchema,
	livenessSchema,
	readinessSchema,
} from "../health-response-schemas";
import { createRouter } from "../openapi-router";
import { errorResponses, jsonResponse } from "../route-responses";

const tags = ["health"];

const health = createRoute({
	method: "get",
	path: "/",
	tags,
	summary: "The Worker answers",
	responses: { 200: jsonResponse(healthSchema, "Healthy"), ...errorResponses({}) },
});

const live = createRoute({
	method: "get",
	path: "/live",
	tags,
	summary: "Liveness",
	responses: { 200: jsonResponse(livenessSchema, "Alive"), ...errorResponses({}) },
});

const ready = createRoute({
	method: "get",
	path: "/ready",
	tags,
	summary: "Readiness: templates are registered, and every handler they name",
	responses: {
		200: jsonResponse(readinessSchema, "Ready"),
		503: jsonResponse(readinessSchema, "Not ready: the checks say why"),
		...errorResponses({}),
	},
});

const detailed = createRoute({
	method: "get",
	path: "/detailed",
	tags,
	summary: "Readiness, version, registries and bindings, for operators",
	responses: {
		200: jsonResponse(detailedHealthSchema, "Healthy"),
		503: jsonResponse(detailedHealthSchema, "Unhealthy: not ready, or a binding is missing"),
		...errorResponses({}),
	},
});

export function healthRoutes(templates: TemplateRegistry, handlers: HandlerRegistry) {
	const app = createRouter();
	// Both registries are fixed when the Worker starts, so readiness is decided once.
	const checks = readinessChecks(templates, handlers);
	const isReady = checks.templates.status === "healthy" && checks.handlers.status === "healthy";
	const namespaces = templates.namespaces();
	const now = () => new Date().toISOString();

	app.openapi(health, (c) => c.json({ status: "healthy" as const, timestamp: now() }, 200));

	app.openapi(live, (c) => c.json({ status: "alive" as const, timestamp: now() }, 200));

	app.openapi(ready, (c) =>
		isReady
			? c.json({ status: "ready" as const, checks }, 200)
			: c.json({ status: "not_ready" as const, checks }, 503),
	);

	app.openapi(detailed, (c) => {
		// Typed as possibly absent: a misconfigured wrangler.toml is exactly what this reports.
		const env = c.env as Partial<Env> | undefined;
		const bindings = {
			tasks: typeof env?.TASKS?.idFromName === "function",
			step_queue: typeof env?.STEP_QUEUE?.send === "function",
		};
		const healthy = isReady && bindings.tasks && bindings.step_queue;
		const body = {
			timestamp: now(),
			version,
			templates: { count: checks.templates.count, namespaces },
			handlers: { count: checks.handlers.count },
			bindings,
		};
		return healthy
			? c.json({ status: "healthy" as const, ...body }, 200)
			: c.json({ status: "unhealthy" as const, ...body }, 503);
	});

	return app;
}

/** Ready when some template is registered and every handler its steps name is registered too. */
function readinessChecks(templates: TemplateRegistry, handlers: HandlerRegistry) {
	const all = templates.list();
	const callables = new Set(all.flatMap((template) => template.steps.map((step) => step.callable)));
	const missing = [...callables].filter((name) => handlers.get(name) === undefined).sort();
	const check = (count: number, problem: string | null): HealthCheck =>
		problem === null ? { status: "healthy", count } : { status: "unhealthy", count, message: problem };
	return {
		templates: check(all.length, all.length > 0 ? null : "no task template is registered"),
		handlers: check(
			handlers.size,
			missing.length === 0 ? null : `templates name handlers that are not registered: ${missing.join(", ")}`,
		),
	};
}
