// Bad requests through the real Worker in workerd: the documented errors, and no task object created.
import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_REQUEST_BODY_BYTES } from "../../src/limits";
import { api, postJson, SEED_ORDER_CONTEXT } from "./helpers";

const order = {
	name: "order_processing",
	context: SEED_ORDER_CONTEXT,
	initiator: "test",
	source_system: "vitest",
	reason: "bad requests",
};

describe("bad requests", () => {
	it("get their documented status and envelope, and create no task object", async () => {
		const before = (await listDurableObjectIds(env.TASKS)).length;
		const cases: Array<[Promise<Response>, number, string]> = [
			[postJson("/v1/tasks", "{not json"), 400, "BAD_REQUEST"],
			[postJson("/v1/tasks", { ...order, initiator: undefined }), 400, "BAD_REQUEST"],
			[postJson("/v1/tasks", { ...order, context: "a string" }), 400, "BAD_REQUEST"],
			[postJson("/v1/tasks", { ...order, name: "no_such_template" }), 404, "NOT_FOUND"],
			[postJson("/v1/tasks", { ...order, namespace: "no_such_namespace" }), 404, "NOT_FOUND"],
			[postJson("/v1/tasks", { ...order, version: "9.9.9" }), 404, "NOT_FOUND"],
			[postJson("/v1/tasks", "x".repeat(MAX_REQUEST_BODY_BYTES + 1)), 413, "PAYLOAD_TOO_LARGE"],
			[api("/v1/tasks/not-a-uuid"), 400, "BAD_REQUEST"],
			[api("/v1/tasks/01a213c4-5220-71db-b60e-000000000001/workflow_steps/nope"), 400, "BAD_REQUEST"],
		];
		for (const [pending, status, code] of cases) {
			const response = await pending;
			const body = (await response.json()) as { error: { code: string; message: string } };
			expect({ status: response.status, code: body.error.code }).toEqual({ status, code });
			expect(body.error.message.length).toBeGreaterThan(10);
		}
		expect((await listDurableObjectIds(env.TASKS)).length).toBe(before);
	});

	it("reading an unknown task is a 404 and leaves no storage behind", async () => {
		const uuid = "01a213c4-5220-71db-b60e-00000000abcd";
		const response = await api(`/v1/tasks/${uuid}`);
		expect(response.status).toBe(404);
		expect(await response.json()).toEqual({
			error: { code: "NOT_FOUND", message: `no task with task_uuid ${uuid}` },
		});
		const stub = env.TASKS.get(env.TASKS.idFromName(uuid));
		const { runInDurableObject } = await import("cloudflare:test");
		const tables = await runInDurableObject(stub, (_instance, state: DurableObjectState) =>
			state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table'").toArray(),
		);
		expect(tables).toEqual([]);
	});
});
