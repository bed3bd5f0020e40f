// TaskerClient against a fake `fetch` that records each request: how requests are built (method, path,
// query, snake_case body, auth headers), that answers are camelCased at the top only (user data untouched),
// how failures map to TaskerApiError, and waitForTask's loop and timeout.
import { describe, expect, expectTypeOf, it } from "vitest";
import {
	type CreateTaskOptions,
	type CreateTaskRequest,
	type Step,
	type Task,
	TaskerApiError,
	TaskerClient,
	TaskerTimeoutError,
	type TemplateValidation,
} from "../../src/client";

interface Recorded {
	method: string;
	url: URL;
	headers: Record<string, string>;
	body: string | undefined;
}

type Answer = Response | Error;

/** A fetch that records every request and answers from `answers` in turn (the last one repeats). */
function fakeFetch(...answers: Array<Answer | (() => Answer)>) {
	const requests: Recorded[] = [];
	let next = 0;
	const fetch = async (input: string, init?: RequestInit) => {
		requests.push({
			method: init?.method ?? "GET",
			url: new URL(input),
			headers: Object.fromEntries(new Headers(init?.headers).entries()),
			body: typeof init?.body === "string" ? init.body : undefined,
		});
		const answer = answers[Math.min(next++, answers.length - 1)];
		const value = typeof answer === "function" ? answer() : answer;
		if (value instanceof Error) throw value;
		if (!value) throw new Error("fakeFetch: no answer configured");
		return value;
	};
	return { fetch, requests };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
	new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

const TASK_UUID = "01a213c4-5220-71db-b60e-000000000001";
const STEP_UUID = "01a213c4-5220-71db-b60e-000000000002";

const taskBody = (status = "complete") => ({
	task_uuid: TASK_UUID,
	name: "order_processing",
	namespace: "default",
	version: "1.0.0",
	status,
	execution_status: "all_complete",
	total_steps: 4,
	completed_steps: 4,
	context: { order_id: "ORD-1", some_key: { nested_key: [1, { deep_key: true }] } },
	source_system: "web",
	created_at: "2026-01-01T00:00:00.000Z",
});

const stepBody = {
	step_uuid: STEP_UUID,
	task_uuid: TASK_UUID,
	name: "charge_payment",
	current_state: "complete",
	max_attempts: 3,
	results: { success: true, result: { transaction_id: "TXN-1" }, metadata: { execution_time_ms: 3 } },
};

const client = (fetch: ReturnType<typeof fakeFetch>["fetch"], extra: object = {}) =>
	new TaskerClient({ baseUrl: "http://tasker.test/", fetch, ...extra });

describe("TaskerClient requests", () => {
	it("createTask posts the snake_case body and returns the task camelCased at the top only", async () => {
		const { fetch, requests } = fakeFetch(json(taskBody("steps_in_process"), 201));
		const task = await client(fetch).createTask("order_processing", {
			context: { order_id: "ORD-1", some_key: 1 },
			initiator: "api:checkout",
			sourceSystem: "web",
			reason: "New order received",
			correlationId: "c-1",
			idempotencyKey: "k-1",
			tags: undefined,
		});
		const [request] = requests;
		expect(request?.method).toBe("POST");
		expect(request?.url.href).toBe("http://tasker.test/v1/tasks");
		expect(request?.headers["content-type"]).toBe("application/json");
		expect(JSON.parse(request?.body ?? "")).toEqual({
			name: "order_processing",
			context: { order_id: "ORD-1", some_key: 1 },
			initiator: "api:checkout",
			source_system: "web",
			reason: "New order received",
			correlation_id: "c-1",
			idempotency_key: "k-1",
		});
		expect(task).toMatchObject({ taskUuid: TASK_UUID, executionStatus: "all_complete", sourceSystem: "web" });
		// User data comes back byte-identical: its keys are never converted.
		expect(JSON.stringify(task.context)).toBe(JSON.stringify(taskBody().context));
		expect(task).not.toHaveProperty("task_uuid");
	});

	it("createTask also takes the reference client's object form, filling its defaults for what is left out", async () => {
		const { fetch, requests } = fakeFetch(json(taskBody("steps_in_process"), 201));
		const task = await client(fetch).createTask({
			name: "order_processing",
			namespace: "shop",
			version: "1.2.0",
		});
		expect(JSON.parse(requests[0]?.body ?? "")).toEqual({
			name: "order_processing",
			namespace: "shop",
			version: "1.2.0",
			context: {},
			initiator: "tasker-core-typescript",
			source_system: "tasker-core",
			reason: "Task requested",
		});
		expect(task.taskUuid).toBe(TASK_UUID);
	});

	it("createTask's object form keeps every field the caller gives, in snake_case", async () => {
		const { fetch, requests } = fakeFetch(json(taskBody(), 201));
		await client(fetch).createTask({
			name: "order_processing",
			context: { order_id: "ORD-2" },
			initiator: "api:checkout",
			sourceSystem: "web",
			reason: "New order received",
			tags: ["a"],
			priority: 5,
			correlationId: "c-2",
			parentCorrelationId: "p-2",
			idempotencyKey: "k-2",
		});
		expect(JSON.parse(requests[0]?.body ?? "")).toEqual({
			name: "order_processing",
			context: { order_id: "ORD-2" },
			initiator: "api:checkout",
			source_system: "web",
			reason: "New order received",
			tags: ["a"],
			priority: 5,
			correlation_id: "c-2",
			parent_correlation_id: "p-2",
			idempotency_key: "k-2",
		});
	});

	it("createTask(name, options) fills the same defaults for the fields it leaves out", async () => {
		const { fetch, requests } = fakeFetch(json(taskBody(), 201));
		await client(fetch).createTask("order_processing", { context: { order_id: "ORD-3" }, reason: "why" });
		expect(JSON.parse(requests[0]?.body ?? "")).toEqual({
			name: "order_processing",
			context: { order_id: "ORD-3" },
			initiator: "tasker-core-typescript",
			source_system: "tasker-core",
			reason: "why",
		});
	});

	it("sends the credentials as X-API-Key and Authorization: Bearer, after any custom header", async () => {
		const { fetch, requests } = fakeFetch(json({ status: "healthy", timestamp: "t" }));
		await client(fetch, {
			apiKey: "key-123",
			bearerToken: "tok-456",
			headers: { "x-trace": "abc", authorization: "ignored" },
		}).health();
		expect(requests[0]?.headers).toMatchObject({
			"x-api-key": "key-123",
			authorization: "Bearer tok-456",
			"x-trace": "abc",
			accept: "application/json",
		});
	});

	it("builds every other request: method, path and query", async () => {
		const catalogue = { namespaces: [], templates: [], total_count: 0 };
		const template = { name: "t", namespace: "n", version: "1.0.0", description: null, steps: [] };
		const { fetch, requests } = fakeFetch(() => json(taskBody()));
		const c = client(fetch);
		await c.getTask(TASK_UUID, { waitSeconds: 5 });
		await c.getTask(TASK_UUID);
		await c.cancelTask(TASK_UUID);
		const { fetch: f2, requests: r2 } = fakeFetch(() => json([stepBody]));
		const c2 = client(f2);
		await c2.listTaskSteps(TASK_UUID);
		await c2.getStepAudit(TASK_UUID, STEP_UUID);
		await c2.getTaskAudit(TASK_UUID);
		await c2.getTaskEvents(TASK_UUID);
		const { fetch: f3, requests: r3 } = fakeFetch(json(stepBody), json(catalogue), json(template));
		const c3 = client(f3);
		await c3.getStep(TASK_UUID, STEP_UUID);
		await c3.listTemplates({ namespace: "order" });
		await c3.getTemplate("order", "order_processing");
		const seen = [...requests, ...r2, ...r3].map((r) => `${r.method} ${r.url.pathname}${r.url.search}`);
		expect(seen).toEqual([
			`GET /v1/tasks/${TASK_UUID}?wait_seconds=5`,
			`GET /v1/tasks/${TASK_UUID}`,
			`DELETE /v1/tasks/${TASK_UUID}`,
			`GET /v1/tasks/${TASK_UUID}/workflow_steps`,
			`GET /v1/tasks/${TASK_UUID}/workflow_steps/${STEP_UUID}/audit`,
			`GET /v1/tasks/${TASK_UUID}/audit`,
			`GET /v1/tasks/${TASK_UUID}/events`,
			`GET /v1/tasks/${TASK_UUID}/workflow_steps/${STEP_UUID}`,
			"GET /v1/templates?namespace=order",
			"GET /v1/templates/order/order_processing/latest",
		]);
		expect(requests.every((r) => r.body === undefined)).toBe(true);
	});

	it("sends the three operator actions as the reference's PATCH bodies", async () => {
		const { fetch, requests } = fakeFetch(() => json(stepBody));
		const c = client(fetch);
		await c.resetStep(TASK_UUID, STEP_UUID, { reason: "fixed", resetBy: "ops" });
		await c.resolveStep(TASK_UUID, STEP_UUID, { reason: "done elsewhere", resolvedBy: "ops" });
		await c.completeStep(TASK_UUID, STEP_UUID, { result: { a_b: 1 }, reason: "manual", completedBy: "ops" });
		await c.completeStep(TASK_UUID, STEP_UUID, {
			result: 2,
			metadata: { some_key: true },
			reason: "manual",
			completedBy: "ops",
		});
		expect(requests.map((r) => [r.method, r.url.pathname])).toEqual(
			Array(4).fill(["PATCH", `/v1/tasks/${TASK_UUID}/workflow_steps/${STEP_UUID}`]),
		);
		expect(requests.map((r) => JSON.parse(r.body ?? ""))).toEqual([
			{ action_type: "reset_for_retry", reason: "fixed", reset_by: "ops" },
			{ action_type: "resolve_manually", reason: "done elsewhere", resolved_by: "ops" },
			{
				action_type: "complete_manually",
				completion_data: { result: { a_b: 1 } },
				reason: "manual",
				completed_by: "ops",
			},
			{
				action_type: "complete_manually",
				completion_data: { result: 2, metadata: { some_key: true } },
				reason: "manual",
				completed_by: "ops",
			},
		]);
	});

	it("listTasks sends snake_case filters and camelCases the pagination", async () => {
		const { fetch, requests } = fakeFetch(
			json({
				tasks: [taskBody()],
				pagination: {
					page: 2,
					per_page: 10,
					total_count: 11,
					total_pages: 2,
					has_next: false,
					has_previous: true,
				},
			}),
		);
		const list = await client(fetch).listTasks({
			page: 2,
			perPage: 10,
			sourceSystem: "web",
			status: "complete",
		});
		expect(Object.fromEntries(requests[0]?.url.searchParams ?? [])).toEqual({
			page: "2",
			per_page: "10",
			source_system: "web",
			status: "complete",
		});
		expect(requests[0]?.url.pathname).toBe("/v1/tasks");
		expect(list.pagination).toEqual({
			page: 2,
			perPage: 10,
			totalCount: 11,
			totalPages: 2,
			hasNext: false,
			hasPrevious: true,
		});
		expect(list.tasks[0]).toMatchObject({ taskUuid: TASK_UUID, context: taskBody().context });
	});

	it("validateTemplate posts the YAML as is and returns its problems", async () => {
		const problems = [{ path: "steps[0].handler", message: "required" }];
		const { fetch, requests } = fakeFetch(json({ valid: false, problems }));
		const yaml = "name: x\nsteps: [{name: a}]\n";
		expect(await client(fetch).validateTemplate(yaml)).toEqual({ valid: false, problems });
		expect(requests[0]).toMatchObject({ method: "POST", body: yaml });
		expect(requests[0]?.headers["content-type"]).toBe("application/yaml");
		expect(requests[0]?.url.pathname).toBe("/v1/templates/validate");
	});
});

describe("TaskerClient answers", () => {
	it("leaves a step's results and a transition's metadata exactly as sent", async () => {
		const { fetch } = fakeFetch(json([stepBody]));
		const [step] = await client(fetch).listTaskSteps(TASK_UUID);
		expect(step).toMatchObject({ stepUuid: STEP_UUID, currentState: "complete", maxAttempts: 3 });
		expect(JSON.stringify(step?.results)).toBe(JSON.stringify(stepBody.results));
	});

	it("camelCases a template's own and its steps' fields, but not a handler's initialization", async () => {
		const { fetch } = fakeFetch(
			json({
				name: "t",
				namespace: "n",
				version: "1.0.0",
				description: null,
				steps: [
					{
						name: "a",
						description: null,
						handler: { callable: "A", initialization: { api_base_url: "x" } },
						dependencies: [],
						retry: {
							retryable: true,
							max_attempts: 3,
							backoff: "none",
							backoff_base_ms: 100,
							max_backoff_ms: 1000,
						},
						timeout_seconds: 30,
					},
				],
			}),
		);
		const template = await client(fetch).getTemplate("n", "t", "1.0.0");
		expect(template.steps[0]).toEqual({
			name: "a",
			description: null,
			handler: { callable: "A", initialization: { api_base_url: "x" } },
			dependencies: [],
			retry: { retryable: true, maxAttempts: 3, backoff: "none", backoffBaseMs: 100, maxBackoffMs: 1000 },
			timeoutSeconds: 30,
		});
	});

	it("returns a readiness probe's 503 as its answer, and camelCases the detailed bindings", async () => {
		const notReady = { status: "not_ready", checks: { templates: { status: "unhealthy", count: 0 } } };
		const detailed = { status: "unhealthy", bindings: { tasks: true, step_queue: false } };
		const { fetch } = fakeFetch(json(notReady, 503), json(detailed, 503));
		const c = client(fetch);
		expect(await c.ready()).toEqual(notReady);
		expect((await c.healthDetailed()).bindings).toEqual({ tasks: true, stepQueue: false });
	});

	it("camelCases the readiness checks, keeping the routed namespaces as sent", async () => {
		const routes = { billing: "STEP_QUEUE_BILLING", eu_tax: "STEP_QUEUE_EU" };
		const ready = {
			status: "ready",
			checks: {
				templates: { status: "healthy", count: 2 },
				handlers: { status: "healthy", count: 4 },
				namespace_queues: { status: "healthy", routes },
			},
		};
		const c = client(fakeFetch(json(ready)).fetch);
		expect((await c.ready()).checks.namespaceQueues).toEqual({ status: "healthy", routes });
	});

	it("has result types derived from the server's views", () => {
		const c = client(fakeFetch(json({})).fetch);
		expectTypeOf(c.createTask).returns.resolves.toEqualTypeOf<Task>();
		expectTypeOf<Task>().toHaveProperty("taskUuid").toEqualTypeOf<string>();
		expectTypeOf<Task>().toHaveProperty("sourceSystem").toEqualTypeOf<string>();
		expectTypeOf<Task>().not.toHaveProperty("task_uuid");
		expectTypeOf<Step>().toHaveProperty("currentState");
		expectTypeOf<TemplateValidation>().toHaveProperty("valid").toEqualTypeOf<boolean>();
		expectTypeOf<CreateTaskRequest>().toHaveProperty("name").toEqualTypeOf<string>();
		expectTypeOf<CreateTaskRequest>().toHaveProperty("sourceSystem").toEqualTypeOf<string | undefined>();
		expectTypeOf<CreateTaskRequest>().toHaveProperty("idempotencyKey").toEqualTypeOf<string | undefined>();
		expectTypeOf<CreateTaskOptions>().toHaveProperty("sourceSystem").toEqualTypeOf<string>();
	});
});

describe("TaskerClient errors", () => {
	it("turns the error envelope into a TaskerApiError with status, code, message and the request id", async () => {
		const { fetch } = fakeFetch(
			json({ error: { code: "CONFLICT", message: `duplicate of task ${TASK_UUID}` } }, 409, {
				location: `/v1/tasks/${TASK_UUID}`,
				"x-request-id": "req-1",
			}),
		);
		const error = await client(fetch)
			.getTask(TASK_UUID)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TaskerApiError);
		expect(error).toMatchObject({
			status: 409,
			code: "CONFLICT",
			message: `duplicate of task ${TASK_UUID}`,
			location: `/v1/tasks/${TASK_UUID}`,
			requestId: "req-1",
		});
	});

	it("gives a non-JSON error answer the code HTTP_<status> and a short message", async () => {
		const { fetch } = fakeFetch(new Response(`<html>${"x".repeat(5000)}</html>`, { status: 502 }));
		const error = (await client(fetch)
			.health()
			.catch((e: unknown) => e)) as TaskerApiError;
		expect(error).toMatchObject({ status: 502, code: "HTTP_502" });
		expect(error.message).toContain("GET http://tasker.test/health: answered 502");
		expect(error.message.length).toBeLessThan(300);
	});

	it("turns a network failure into status 0 NETWORK_ERROR naming the URL but no credential", async () => {
		const { fetch } = fakeFetch(new TypeError("fetch failed"));
		const c = new TaskerClient({
			baseUrl: "http://user:secret-pw@tasker.test",
			apiKey: "secret-key",
			bearerToken: "secret-token",
			fetch,
		});
		const error = (await c.getTask(TASK_UUID).catch((e: unknown) => e)) as TaskerApiError;
		expect(error).toBeInstanceOf(TaskerApiError);
		expect(error).toMatchObject({ status: 0, code: "NETWORK_ERROR" });
		expect(error.message).toContain(`http://tasker.test/v1/tasks/${TASK_UUID}`);
		expect(error.message).toContain("fetch failed");
		expect(error.message).not.toMatch(/secret/);
	});

	// Found by probing the CLI: `tasker health` against a server that accepted the connection and never
	// answered hung for good.
	it("gives up on a request unanswered past requestTimeoutMs, plus the wait it asked the server for", async () => {
		// Answers after 150 ms, or fails as fetch does when its signal aborts first.
		const slow = async (_input: string, init?: RequestInit) =>
			new Promise<Response>((resolve, reject) => {
				const timer = setTimeout(() => resolve(json(taskBody())), 150);
				init?.signal?.addEventListener("abort", () => {
					clearTimeout(timer);
					reject(init.signal?.reason);
				});
			});
		const c = new TaskerClient({ baseUrl: "http://tasker.test", fetch: slow, requestTimeoutMs: 50 });
		const error = (await c.health().catch((e: unknown) => e)) as TaskerApiError;
		expect(error).toMatchObject({ status: 0, code: "NETWORK_ERROR" });
		expect(error.message).toBe("GET http://tasker.test/health: no answer (none within 0.05 s)");
		// A read held by the server (wait_seconds) is given that long on top.
		expect((await c.getTask(TASK_UUID, { waitSeconds: 1 })).status).toBe("complete");
	});

	it("works with no arguments: TASKER_URL when set, else http://localhost:8787", () => {
		const saved = process.env.TASKER_URL;
		try {
			delete process.env.TASKER_URL;
			expect(new TaskerClient().baseUrl).toBe("http://localhost:8787");
			process.env.TASKER_URL = "";
			expect(new TaskerClient().baseUrl).toBe("http://localhost:8787");
			process.env.TASKER_URL = "http://from-env:8787/";
			expect(new TaskerClient().baseUrl).toBe("http://from-env:8787");
		} finally {
			if (saved === undefined) delete process.env.TASKER_URL;
			else process.env.TASKER_URL = saved;
		}
	});
});

describe("waitForTask", () => {
	it("reads with wait_seconds until the task has finished", async () => {
		const { fetch, requests } = fakeFetch(
			json(taskBody("steps_in_process")),
			json(taskBody("waiting_for_retry")),
			json(taskBody("complete")),
		);
		const task = await client(fetch).waitForTask(TASK_UUID, { timeoutMs: 120_000, pollIntervalMs: 0 });
		expect(task.status).toBe("complete");
		expect(requests).toHaveLength(3);
		// Each read is held by the server for at most 60 s, however long the caller waits.
		expect(requests.map((r) => Number(r.url.searchParams.get("wait_seconds")))).toEqual([60, 60, 60]);
	});

	it("returns error and cancelled tasks too: they are finished", async () => {
		for (const status of ["error", "cancelled"]) {
			const { fetch } = fakeFetch(json(taskBody(status)));
			expect((await client(fetch).waitForTask(TASK_UUID, { timeoutMs: 1000 })).status).toBe(status);
		}
	});

	it("asks for no more than the time left, and throws TaskerTimeoutError with the last task seen", async () => {
		const { fetch, requests } = fakeFetch(() => json(taskBody("steps_in_process")));
		const error = (await client(fetch)
			.waitForTask(TASK_UUID, { timeoutMs: 150, pollIntervalMs: 20 })
			.catch((e: unknown) => e)) as TaskerTimeoutError;
		expect(error).toBeInstanceOf(TaskerTimeoutError);
		expect(error.task).toMatchObject({ taskUuid: TASK_UUID, status: "steps_in_process" });
		expect(error.message).toContain("still steps_in_process after 150 ms");
		const waits = requests.map((r) => Number(r.url.searchParams.get("wait_seconds")));
		expect(waits[0]).toBeLessThanOrEqual(0.15);
		// The server here answers at once, so the client paces itself instead of spinning.
		expect(requests.length).toBeGreaterThan(1);
		expect(requests.length).toBeLessThanOrEqual(10);
	});

	it("lets an API error through rather than waiting on", async () => {
		const { fetch } = fakeFetch(json({ error: { code: "NOT_FOUND", message: "no task" } }, 404));
		await expect(client(fetch).waitForTask(TASK_UUID, { timeoutMs: 1000 })).rejects.toMatchObject({
			status: 404,
			code: "NOT_FOUND",
		});
	});
});
