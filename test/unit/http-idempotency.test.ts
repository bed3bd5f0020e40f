// POST /v1/tasks deduplication in-process (app.request), over an in-memory stand-in of the task objects
// with their real contract: create is first-writer-wins per task uuid, and a deduplicated submission's
// uuid is derived from its identity.
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { buildHandlerRegistry } from "../../src/registry/handler-registry";
import { TemplateRegistry } from "../../src/registry/template-registry";
import type { IdentityStrategy } from "../../src/templates/task-template";
import { dagTemplate } from "../support/template-builders";

const template = (name: string, identityStrategy?: IdentityStrategy) => ({
	...dagTemplate({ a: [] }, {}, name),
	namespace: "default",
	identityStrategy,
});
const app = createApp(
	new TemplateRegistry([
		template("order_processing"),
		template("keyed", "caller_provided"),
		template("anything_goes", "always_unique"),
	]),
	buildHandlerRegistry([]),
);

function fakeEnv() {
	const tasks = new Map<string, { task_uuid: string; context: unknown }>();
	const calls: string[] = [];
	const env = {
		TASKS: {
			idFromName: (uuid: string) => uuid,
			get: (uuid: string) => ({
				create: async (input: { taskUuid: string; context: unknown }) => {
					calls.push("create");
					const existing = tasks.get(uuid);
					if (existing) return { task: existing, created: false };
					const task = { task_uuid: input.taskUuid, context: input.context };
					tasks.set(uuid, task);
					return { task, created: true };
				},
			}),
		},
	} as unknown as Env;
	return { env, tasks, calls };
}

const order = {
	name: "order_processing",
	context: { order_id: "o-1", items: [{ sku: "A", quantity: 1 }] },
	initiator: "api:checkout",
	source_system: "web",
	reason: "New order",
};

async function post(env: Env, body: object) {
	const response = await app.request("/v1/tasks", { method: "POST", body: JSON.stringify(body) }, env);
	const json = (await response.json()) as { task_uuid?: string; error?: { code: string; message: string } };
	return { status: response.status, location: response.headers.get("location"), json };
}

describe("POST /v1/tasks: duplicates", () => {
	it("a duplicate is a 409 in the usual envelope, naming the existing task in the message and Location", async () => {
		const { env, tasks } = fakeEnv();
		const first = await post(env, order);
		expect(first.status).toBe(201);
		const uuid = String(first.json.task_uuid);
		const second = await post(env, order);
		expect(second.status).toBe(409);
		expect(Object.keys(second.json)).toEqual(["error"]);
		expect(Object.keys(second.json.error ?? {})).toEqual(["code", "message"]);
		expect(second.json.error?.code).toBe("CONFLICT");
		expect(second.json.error?.message).toContain(`task ${uuid} was already submitted`);
		expect(second.location).toBe(`/v1/tasks/${uuid}`);
		expect(tasks.size).toBe(1);
	});

	it("caller_provided without a key is a 400 naming the field and the strategy, reaching no object", async () => {
		const { env, calls } = fakeEnv();
		const response = await post(env, { ...order, name: "keyed" });
		expect(response.status).toBe(400);
		expect(response.json.error).toEqual({
			code: "BAD_REQUEST",
			message:
				"idempotency_key: required but missing: expected a string of 1 to 255 characters " +
				"(task template default/keyed 1.0.0 has identity_strategy caller_provided)",
		});
		expect(calls).toEqual([]);
		expect((await post(env, { ...order, name: "keyed", idempotency_key: "k" })).status).toBe(201);
	});

	it("a malformed idempotency_key is a 400 naming it", async () => {
		const { env, calls } = fakeEnv();
		for (const key of ["", "k".repeat(256), 42]) {
			const response = await post(env, { ...order, idempotency_key: key });
			expect(response.status).toBe(400);
			expect(response.json.error?.message).toMatch(
				/^idempotency_key: expected an idempotency key of 1 to 255 characters, got /,
			);
		}
		expect(calls).toEqual([]);
	});

	it("always_unique without a key claims nothing and never conflicts", async () => {
		const { env, calls, tasks } = fakeEnv();
		expect((await post(env, { ...order, name: "anything_goes" })).status).toBe(201);
		expect((await post(env, { ...order, name: "anything_goes" })).status).toBe(201);
		expect(calls).toEqual(["create", "create"]);
		expect(tasks.size).toBe(2);
	});

	it("a deduplicated task's uuid is a UUIDv8 derived from its identity; always_unique's a fresh UUIDv7", async () => {
		const { env } = fakeEnv();
		const first = String((await post(env, order)).json.task_uuid);
		expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		// Another process (a fresh fake) derives the same uuid for the same identity.
		expect((await post(fakeEnv().env, order)).json.task_uuid).toBe(first);
		const other = { ...order, context: { ...order.context, order_id: "o-2" } };
		expect((await post(env, other)).json.task_uuid).not.toBe(first);
		const unique = String((await post(env, { ...order, name: "anything_goes" })).json.task_uuid);
		expect(unique).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	});

	it("a creation that left no task (it failed before committing) is simply retried: the same uuid, one call", async () => {
		const { env, tasks, calls } = fakeEnv();
		const first = await post(env, order);
		const uuid = String(first.json.task_uuid);
		tasks.clear();
		calls.length = 0;
		const retry = await post(env, order);
		expect(retry.status).toBe(201);
		expect(retry.json.task_uuid).toBe(uuid);
		expect(retry.location).toBe(`/v1/tasks/${uuid}`);
		expect(calls).toEqual(["create"]);
		expect((await post(env, order)).status).toBe(409);
	});

	it("a duplicate costs the one create call that finds the task, and writes nothing", async () => {
		const { env, tasks, calls } = fakeEnv();
		await post(env, order);
		const before = structuredClone([...tasks]);
		calls.length = 0;
		expect((await post(env, order)).status).toBe(409);
		expect(calls).toEqual(["create"]);
		expect([...tasks]).toEqual(before);
	});
});
