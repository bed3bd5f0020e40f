// /health and its family, all public: liveness of the Worker, readiness (it can serve tasks: templates are
// registered, their handlers too unless another Worker runs their namespace) and a detailed view.

import { createRoute } from "@hono/zod-openapi";
// A named import: the bundler keeps only this one field of package.json.
import { version } from "../../../package.json";
import { routedNamespaces } from "../../core/namespace-routes";
import { WAIT_CALLABLES } from "../../core/wait-spec";
import { type NamespaceQueues, namespaceQueues } from "../../queue/namespace-queues";
import type { HandlerRegistry } from "../../registry/handler-registry";
import type { TemplateRegistry } from "../../registry/template-registry";
import {
	detailedHealthSchema,
	type HealthCheck,
	healthSchema,
	livenessSchema,
	type NamespaceQueuesCheck,
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
	summary:
		"Readiness: templates are registered, every handler they name (in namespaces run here), and the namespace routes are valid",
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
	// The registries are fixed when the Worker starts; the routes come with the env (checked once per env).
	const readiness = (env: object | undefined) => {
		const checks = readinessChecks(templates, handlers, namespaceQueues(env ?? {}));
		const isReady = Object.values(checks).every((check) => check.status === "healthy");
		return { checks, isReady };
	};
	const namespaces = templates.namespaces();
	const now = () => new Date().toISOString();

	app.openapi(health, (c) => c.json({ status: "healthy" as const, timestamp: now() }, 200));

	app.openapi(live, (c) => c.json({ status: "alive" as const, timestamp: now() }, 200));

	app.openapi(ready, (c) => {
		const { checks, isReady } = readiness(c.env);
		return isReady
			? c.json({ status: "ready" as const, checks }, 200)
			: c.json({ status: "not_ready" as const, checks }, 503);
	});

	app.openapi(detailed, (c) => {
		// Typed as possibly absent: a misconfigured wrangler.toml is exactly what this reports.
		const env = c.env as Partial<Env> | undefined;
		const { checks, isReady } = readiness(env);
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

/**
 * Ready when some template is registered, NAMESPACE_QUEUES is valid, and every handler the templates
 * name is registered here, except in namespaces routed to another Worker's queue: that Worker runs them.
 */
function readinessChecks(templates: TemplateRegistry, handlers: HandlerRegistry, queues: NamespaceQueues) {
	const all = templates.list();
	const elsewhere = queues.ok ? routedNamespaces(queues.routes) : new Set<string>();
	const local = all.filter((template) => !elsewhere.has(template.namespace));
	// Waiting steps (wait_for_event, sleep) have no handler: nothing runs them.
	const callables = new Set(
		local
			.flatMap((template) => template.steps.map((step) => step.callable))
			.filter((c) => !WAIT_CALLABLES.has(c)),
	);
	const missing = [...callables].filter((name) => handlers.get(name) === undefined).sort();
	const check = (count: number, problem: string | null): HealthCheck =>
		problem === null ? { status: "healthy", count } : { status: "unhealthy", count, message: problem };
	const routes = queues.ok ? Object.fromEntries(queues.routes) : {};
	const namespaceQueuesCheck: NamespaceQueuesCheck = queues.ok
		? { status: "healthy", routes }
		: { status: "unhealthy", routes, message: queues.problems.join("; ") };
	return {
		templates: check(all.length, all.length > 0 ? null : "no task template is registered"),
		handlers: check(
			handlers.size,
			missing.length === 0 ? null : `templates name handlers that are not registered: ${missing.join(", ")}`,
		),
		namespace_queues: namespaceQueuesCheck,
	};
}
