// POST /v1/tasks deduplication in-process (app.request), over in-memory stand-ins of the identity and
// task objects with their real contracts: first claim wins, create is idempotent per task uuid.
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
	const claims = new Map<string, string>();
	const tasks = new Map<string, { task_uuid: string; context: unknown }>();
	const calls: string[] = [];
	const env = {
		IDENTITIES: {
			idFromName: (hash: string) => hash,
			get: (hash: string) => ({
				claim: async (taskUuid: string) => {
					calls.push("claim");
					const held = claims.get(hash);
					if (held !== undefined) return { claimed: false, taskUuid: held };
					claims.set(hash, taskUuid);
					return { claimed: true };
				},
			}),
		},
		TASKS: {
			idFromName: (uuid: string) => uuid,
			get: (uuid: string) => ({
				getTask: async () => {
					calls.push("getTask");
					return tasks.get(uuid) ?? null;
				},
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
	return { env, claims, tasks, calls };
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

	it("a claim whose task never came to exist is completed by the next submission, under the claimed uuid", async () => {
		const { env, claims, tasks, calls } = fakeEnv();
		// The first submission claimed, then its creation failed: the claim is there, the task is not.
		const first = await post(env, order);
		const uuid = String(first.json.task_uuid);
		tasks.clear();
		calls.length = 0;
		const retry = await post(env, order);
		expect(retry.status).toBe(201);
		expect(retry.json.task_uuid).toBe(uuid);
		expect(retry.location).toBe(`/v1/tasks/${uuid}`);
		expect(calls).toEqual(["claim", "getTask", "create"]);
		expect([...claims.values()]).toEqual([uuid]);
		expect((await post(env, order)).status).toBe(409);
	});

	it("a claimer whose task a duplicate created first answers 409 naming it: one 201 in all", async () => {
		const { env, tasks } = fakeEnv();
		// The duplicate found the claim before the task existed and created it with its own request.
		const taskObjects = (env as unknown as { TASKS: { get: (uuid: string) => unknown } }).TASKS;
		const realGet = taskObjects.get;
		taskObjects.get = (uuid: string) => {
			const stub = realGet(uuid) as { create: (input: { taskUuid: string }) => Promise<unknown> };
			return {
				...stub,
				create: async (input: { taskUuid: string; context: unknown }) => {
					tasks.set(uuid, { task_uuid: input.taskUuid, context: "created by the duplicate" });
					return stub.create(input);
				},
			};
		};
		const claimer = await post(env, order);
		expect(claimer.status).toBe(409);
		expect(claimer.json.error?.message).toContain(`task ${claimer.location?.slice("/v1/tasks/".length)}`);
		expect(tasks.size).toBe(1);
	});
});
