// The /health family in-process (app.request): liveness always, readiness from the registries (503 when
// the Worker could serve no task), and the detailed view with the version and the bindings.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { StepHandler } from "../../src/handler-api/step-handler";
import { StepHandlerResult } from "../../src/handler-api/step-handler-result";
import { createApp } from "../../src/http/app";
import { buildHandlerRegistry } from "../../src/registry/handler-registry";
import { TemplateRegistry } from "../../src/registry/template-registry";
import { dagTemplate } from "../support/template-builders";

const packageVersion = (
	JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/** A handler module exporting one StepHandler per name. */
function handlersNamed(...names: string[]) {
	const exports = Object.fromEntries(
		names.map((name) => [
			name,
			class extends StepHandler {
				static override handlerName = name;
				call() {
					return StepHandlerResult.success({});
				}
			},
		]),
	);
	return buildHandlerRegistry([{ path: "test/handlers.ts", exports }]);
}

const shipping = { ...dagTemplate({ a: [], b: ["a"] }, {}, "ship_order"), namespace: "shipping" };
const billing = { ...dagTemplate({ a: [] }, {}, "invoice"), namespace: "billing" };
const registered = new TemplateRegistry([shipping, billing]);
const allHandlers = handlersNamed("Handler_a", "Handler_b", "Unused");
const bindings = {
	TASKS: { idFromName: () => "id", get: () => ({}) },
	STEP_QUEUE: { send: async () => {}, sendBatch: async () => {} },
} as unknown as Env;

async function get(path: string, app = createApp(registered, allHandlers), env: Env | null = bindings) {
	const response = await app.request(path, {}, env ?? undefined);
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("GET /health and /health/live", () => {
	it("/health is 200 healthy", async () => {
		const { status, body } = await get("/health");
		expect(status).toBe(200);
		expect(body).toEqual({ status: "healthy", timestamp: expect.stringMatching(ISO_TIMESTAMP) });
	});

	it("/health/live is 200 alive, even with no template, no handler and no binding", async () => {
		const bare = createApp(new TemplateRegistry([]), handlersNamed());
		const { status, body } = await get("/health/live", bare, null);
		expect(status).toBe(200);
		expect(body).toEqual({ status: "alive", timestamp: expect.stringMatching(ISO_TIMESTAMP) });
	});
});

describe("GET /health/ready", () => {
	it("is 200 ready with the templates and handlers counted", async () => {
		const { status, body } = await get("/health/ready");
		expect(status).toBe(200);
		expect(body).toEqual({
			status: "ready",
			checks: {
				templates: { status: "healthy", count: 2 },
				handlers: { status: "healthy", count: 3 },
				namespace_queues: { status: "healthy", routes: {} },
			},
		});
	});

	it("is 503 not_ready, same shape, when no template is registered", async () => {
		const { status, body } = await get("/health/ready", createApp(new TemplateRegistry([]), allHandlers));
		expect(status).toBe(503);
		expect(body).toEqual({
			status: "not_ready",
			checks: {
				templates: { status: "unhealthy", count: 0, message: "no task template is registered" },
				handlers: { status: "healthy", count: 3 },
				namespace_queues: { status: "healthy", routes: {} },
			},
		});
	});

	it("is 503 not_ready when a template's step names a handler that is not registered", async () => {
		const { status, body } = await get("/health/ready", createApp(registered, handlersNamed("Handler_a")));
		expect(status).toBe(503);
		expect(body).toEqual({
			status: "not_ready",
			checks: {
				templates: { status: "healthy", count: 2 },
				handlers: {
					status: "unhealthy",
					count: 1,
					message: "templates name handlers that are not registered: Handler_b",
				},
				namespace_queues: { status: "healthy", routes: {} },
			},
		});
	});
});

describe("GET /health/ready with handler workers per namespace", () => {
	const routedEnv = (routes: unknown) =>
		({
			...bindings,
			STEP_QUEUE_BILLING: { send: async () => {}, sendBatch: async () => {} },
			NAMESPACE_QUEUES: routes,
		}) as unknown as Env;

	it("does not ask for the handlers of a namespace routed to another Worker's queue", async () => {
		// billing's handler (Handler_x) lives in the billing Worker; shipping's (Handler_a, Handler_b) are here.
		const billingOnly = new TemplateRegistry([
			shipping,
			{ ...dagTemplate({ x: [] }, {}, "invoice"), namespace: "billing" },
		]);
		const { status, body } = await get(
			"/health/ready",
			createApp(billingOnly, handlersNamed("Handler_a", "Handler_b")),
			routedEnv({ billing: "STEP_QUEUE_BILLING" }),
		);
		expect(status).toBe(200);
		expect(body.checks).toEqual({
			templates: { status: "healthy", count: 2 },
			handlers: { status: "healthy", count: 2 },
			namespace_queues: { status: "healthy", routes: { billing: "STEP_QUEUE_BILLING" } },
		});
		// Without the route, the same Worker lacks Handler_x.
		const unrouted = await get(
			"/health/ready",
			createApp(billingOnly, handlersNamed("Handler_a", "Handler_b")),
		);
		expect(unrouted.status).toBe(503);
		expect(unrouted.body.checks).toMatchObject({
			handlers: { message: "templates name handlers that are not registered: Handler_x" },
		});
	});

	it("is 503 not_ready, naming the problem, when NAMESPACE_QUEUES names no queue binding", async () => {
		const { status, body } = await get(
			"/health/ready",
			undefined,
			routedEnv({ billing: "STEP_QUEUE_BILIING" }),
		);
		expect(status).toBe(503);
		expect(body.checks).toMatchObject({
			namespace_queues: {
				status: "unhealthy",
				routes: {},
				message: expect.stringContaining(
					'NAMESPACE_QUEUES.billing: "STEP_QUEUE_BILIING" is not a queue producer binding',
				),
			},
		});
	});
});

describe("GET /health/detailed", () => {
	it("is 200 healthy with the version, the registries and the bindings", async () => {
		const { status, body } = await get("/health/detailed");
		expect(status).toBe(200);
		expect(body).toEqual({
			status: "healthy",
			timestamp: expect.stringMatching(ISO_TIMESTAMP),
			version: packageVersion,
			templates: { count: 2, namespaces: ["billing", "shipping"] },
			handlers: { count: 3 },
			bindings: { tasks: true, step_queue: true },
		});
	});

	it("is 503 unhealthy, naming the missing binding, when the queue is not bound", async () => {
		const { status, body } = await get("/health/detailed", undefined, { TASKS: bindings.TASKS } as Env);
		expect(status).toBe(503);
		expect(body).toMatchObject({ status: "unhealthy", bindings: { tasks: true, step_queue: false } });
	});

	it("is 503 unhealthy when no template is registered, and survives having no env at all", async () => {
		const bare = createApp(new TemplateRegistry([]), handlersNamed());
		const { status, body } = await get("/health/detailed", bare, null);
		expect(status).toBe(503);
		expect(body).toMatchObject({
			status: "unhealthy",
			templates: { count: 0, namespaces: [] },
			handlers: { count: 0 },
			bindings: { tasks: false, step_queue: false },
		});
	});
});
