// Idempotent submission through the real Worker and task objects in workerd. A deduplicated task's uuid is
// derived from its identity, so duplicates meet in its object: a duplicate is a 409 naming the first task,
// and fifty concurrent duplicates make exactly one task.
import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { identityTaskUuid } from "../../src/core/identity-task-uuid";
import { decideIdentity } from "../../src/core/task-identity";
import { templates } from "../../src/generated/registry";
import { identityHash } from "../../src/identity-hash";
import { postJson, SEED_ORDER_CONTEXT, taskStub, waitForTask } from "./helpers";

type Answer = { status: number; location: string | null; body: Record<string, unknown> };

/** The seed's order as a new order (its own order_id), so that each test starts with a fresh identity. */
function newOrder(): Record<string, unknown> {
	return { ...structuredClone(SEED_ORDER_CONTEXT), order_id: `ORD-${crypto.randomUUID()}` };
}

async function submit(
	context: Record<string, unknown>,
	extra: Record<string, unknown> = {},
): Promise<Answer> {
	const response = await postJson("/v1/tasks", {
		name: "order_processing",
		context,
		initiator: "test:identity",
		source_system: "vitest",
		reason: "idempotent submission",
		...extra,
	});
	return {
		status: response.status,
		location: response.headers.get("location"),
		body: (await response.json()) as Record<string, unknown>,
	};
}

function uuidOf(answer: Answer): string {
	expect(answer.status).toBe(201);
	return String(answer.body.task_uuid);
}

function expectDuplicateOf(answer: Answer, taskUuid: string) {
	expect(answer.status).toBe(409);
	expect(answer.body).toEqual({ error: { code: "CONFLICT", message: expect.stringContaining(taskUuid) } });
	expect(answer.location).toBe(`/v1/tasks/${taskUuid}`);
}

/** How many task objects hold storage. */
const countTasks = async () => (await listDurableObjectIds(env.TASKS)).length;

describe("idempotent submission", () => {
	it("a second identical submission is a 409 naming the first task, even after that task finished", async () => {
		const order = newOrder();
		const first = uuidOf(await submit(order));
		const second = await submit(order);
		expectDuplicateOf(second, first);
		expect((second.body.error as { message: string }).message).toBe(
			`task ${first} was already submitted with this context for task template default/order_processing ` +
				"1.0.0 (identity_strategy strict); send a different context, or an idempotency_key, for a new task",
		);
		await waitForTask(first, (task) => expect(task.status).toBe("complete"));
		expectDuplicateOf(await submit(order), first);
	});

	it("the same context with its keys in another order is a duplicate; another context is not", async () => {
		const order = newOrder();
		const first = uuidOf(await submit(order));
		const reordered = Object.fromEntries(
			Object.entries(structuredClone(order))
				.reverse()
				.map(([key, value]) =>
					key === "items"
						? [
								key,
								(value as Array<Record<string, unknown>>).map((i) =>
									Object.fromEntries(Object.entries(i).reverse()),
								),
							]
						: [key, value],
				),
		);
		expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(order));
		expectDuplicateOf(await submit(reordered), first);
		const other = uuidOf(await submit({ ...order, customer_email: "someone.else@example.com" }));
		expect(other).not.toBe(first);
	});

	it("an idempotency_key wins: the same key with another context is a 409, other keys are new tasks", async () => {
		const key = `order-${crypto.randomUUID()}`;
		const first = uuidOf(await submit(newOrder(), { idempotency_key: key }));
		const sameKey = await submit(newOrder(), { idempotency_key: key });
		expectDuplicateOf(sameKey, first);
		expect((sameKey.body.error as { message: string }).message).toContain(`idempotency_key "${key}"`);

		const order = newOrder();
		const a = uuidOf(await submit(order, { idempotency_key: `${key}-a` }));
		const b = uuidOf(await submit(order, { idempotency_key: `${key}-b` }));
		expect(a).not.toBe(b);
	});

	it("caller_provided: no key is a 400 naming the field and the strategy, and creates nothing", async () => {
		const tasksBefore = await countTasks();
		const body = {
			name: "identity_caller_provided",
			namespace: "testing",
			context: { run: 1 },
			initiator: "test:identity",
			source_system: "vitest",
			reason: "no key",
		};
		const response = await postJson("/v1/tasks", body);
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			error: {
				code: "BAD_REQUEST",
				message:
					"idempotency_key: required but missing: expected a string of 1 to 255 characters " +
					"(task template testing/identity_caller_provided 1.0.0 has identity_strategy caller_provided)",
			},
		});
		expect(await countTasks()).toBe(tasksBefore);

		const key = `job-${crypto.randomUUID()}`;
		const created = await postJson("/v1/tasks", { ...body, idempotency_key: key });
		expect(created.status).toBe(201);
		const again = await postJson("/v1/tasks", { ...body, idempotency_key: key });
		expect(again.status).toBe(409);
	});

	it("always_unique: identical submissions are all created; a key still deduplicates", async () => {
		const body = {
			name: "identity_always_unique",
			namespace: "testing",
			context: { same: true },
			initiator: "test:identity",
			source_system: "vitest",
			reason: "never deduplicated",
		};
		const answers = await Promise.all([postJson("/v1/tasks", body), postJson("/v1/tasks", body)]);
		expect(answers.map((a) => a.status)).toEqual([201, 201]);
		const uuids = await Promise.all(
			answers.map(async (a) => ((await a.json()) as { task_uuid: string }).task_uuid),
		);
		expect(new Set(uuids).size).toBe(2);
		// Fresh UUIDv7s, not derived from the (identical) submissions.
		for (const uuid of uuids) expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);

		const key = `once-${crypto.randomUUID()}`;
		expect((await postJson("/v1/tasks", { ...body, idempotency_key: key })).status).toBe(201);
		expect((await postJson("/v1/tasks", { ...body, idempotency_key: key })).status).toBe(409);
	});

	it("fifty identical concurrent submissions create exactly one task: one 201, forty-nine 409s naming it", async () => {
		const order = newOrder();
		const tasksBefore = await countTasks();
		const answers = await Promise.all(Array.from({ length: 50 }, () => submit(order)));
		const created = answers.filter((a) => a.status === 201);
		const duplicates = answers.filter((a) => a.status === 409);
		expect({ created: created.length, duplicates: duplicates.length }).toEqual({
			created: 1,
			duplicates: 49,
		});
		const uuid = uuidOf(created[0] as Answer);
		for (const duplicate of duplicates) expectDuplicateOf(duplicate, uuid);
		expect(await countTasks()).toBe(tasksBefore + 1);
		await waitForTask(uuid, (task) => expect(task.status).toBe("complete"));
	});

	it("the task's uuid is derived from its identity: the same for a resubmission, and its object holds it", async () => {
		const order = newOrder();
		const template = templates.find((t) => t.namespace === "default" && t.name === "order_processing");
		if (!template) throw new Error("no order_processing template");
		const identity = decideIdentity(template, order, undefined);
		if (identity.kind !== "identity") throw new Error(`expected an identity, got ${identity.kind}`);
		const derived = identityTaskUuid(await identityHash(identity.source));
		// Nothing exists under it before the submission: a read leaves no storage behind.
		expect(await taskStub(derived).getTask()).toBeNull();

		const first = uuidOf(await submit(order));
		expect(first).toBe(derived);
		await waitForTask(first, (task) => expect(task.status).toBe("complete"));
		expectDuplicateOf(await submit(order), derived);
	});
});
