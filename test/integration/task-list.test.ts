import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { TaskObject } from "../../durable-objects/task-object";
import {
	api,
	createSeedOrderWith,
	createSeedOrderWithEnv,
	fireAlarmsUntil,
	rawStub,
	SEED_ORDER_CONTEXT,
	submitTask,
	unavailable,
	waitForTask,
} from "./helpers";

type Listing = {
	tasks: Array<{ task_uuid: string; status: string; namespace: string; created_at: string }>;
	pagination: {
		page: number;
		per_page: number;
		total_count: number;
		total_pages: number;
		has_next: boolean;
		has_previous: boolean;
	};
};

async function list(query: string): Promise<Listing> {
	const response = await api(`/v1/tasks${query}`);
	expect(response.status).toBe(200);
	return (await response.json()) as Listing;
}

const statusIn = async (taskUuid: string, query = "") =>
	(await list(query)).tasks.find((t) => t.task_uuid === taskUuid)?.status;

describe("GET /v1/tasks", () => {
	it("lists a task as soon as it changes, with its latest status, and filters by status and namespace", async () => {
		const declined = await submitTask("card_declined", {}, "testing");
		const order = await submitTask("order_processing", SEED_ORDER_CONTEXT);
		await waitForTask(declined.task_uuid, (t) => expect(t.status).toBe("error"));
		await waitForTask(order.task_uuid, (t) => expect(t.status).toBe("complete"));
		await vi.waitFor(async () => expect(await statusIn(declined.task_uuid, "?per_page=100")).toBe("error"), {
			timeout: 2_000,
			interval: 10,
		});
		await vi.waitFor(async () => expect(await statusIn(order.task_uuid, "?per_page=100")).toBe("complete"), {
			timeout: 2_000,
			interval: 10,
		});
		const errors = await list("?status=error&namespace=testing&per_page=100");
		expect(errors.tasks.map((t) => t.task_uuid)).toContain(declined.task_uuid);
		expect(errors.tasks.every((t) => t.status === "error" && t.namespace === "testing")).toBe(true);
		expect((await list("?namespace=default&per_page=100")).tasks.map((t) => t.task_uuid)).not.toContain(
			declined.task_uuid,
		);
	});

	it("pages newest first with the reference's pagination block", async () => {
		const submitted: string[] = [];
		for (let i = 0; i < 3; i++) submitted.push((await submitTask("retry_twice", {}, "testing")).task_uuid);
		// All three listed before paging (a running task's row lands a moment after it changes): a row
		// landing between the two pages would shift them.
		await vi.waitFor(
			async () => {
				const listed = new Set((await list("?namespace=testing&per_page=100")).tasks.map((t) => t.task_uuid));
				expect(submitted.filter((uuid) => !listed.has(uuid))).toEqual([]);
			},
			{
				timeout: 2_000,
				interval: 10,
			},
		);
		const first = await list("?namespace=testing&per_page=1&page=1");
		expect(first.tasks).toHaveLength(1);
		expect(first.pagination).toMatchObject({ page: 1, per_page: 1, has_previous: false, has_next: true });
		expect(first.pagination.total_pages).toBe(first.pagination.total_count);
		const second = await list("?namespace=testing&per_page=1&page=2");
		expect(second.pagination.has_previous).toBe(true);
		expect(second.tasks[0]?.task_uuid).not.toBe(first.tasks[0]?.task_uuid);
		// Newest first: page 2's task was created no later than page 1's.
		expect(Date.parse(String(second.tasks[0]?.created_at))).toBeLessThanOrEqual(
			Date.parse(String(first.tasks[0]?.created_at)),
		);
	});

	it("rejects bad parameters with a 400 naming them", async () => {
		const cases: Array<[string, RegExp]> = [
			["?per_page=101", /^per_page: expected an integer from 1 to 100, got "101"$/],
			["?page=0", /^page: expected an integer 1 or more, got "0"$/],
			["?status=done", /^status: expected one of pending, .*cancelled, got "done"$/],
			["?namespce=default", /^unknown query parameter "namespce" \(expected: page, per_page, namespace/],
			["?page=1&page=2", /^page: expected one value, got 2$/],
		];
		for (const [query, message] of cases) {
			const response = await api(`/v1/tasks${query}`);
			expect(response.status).toBe(400);
			expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(message);
		}
	});

	it("a push that failed (its fleet writer unreachable) lands when the alarm tries again", async () => {
		const { taskUuid, restore } = await createSeedOrderWith(
			"FLEET_WRITERS",
			unavailable<Env["FLEET_WRITERS"]>("fleet writers unavailable"),
		);
		await waitForTask(taskUuid, (t) => expect(t.status).toBe("complete"));
		expect(await statusIn(taskUuid, "?per_page=100")).toBeUndefined();

		await restore();
		await fireAlarmsUntil(taskUuid, async () => (await statusIn(taskUuid, "?per_page=100")) === "complete");
	});

	it("with no fleet writers bound, a task object writes to D1 itself, and a failed push lands later too", async () => {
		const { taskUuid } = await createSeedOrderWithEnv(
			(real) =>
				({
					...real,
					FLEET_WRITERS: undefined,
					TASK_INDEX: unavailable<D1Database>("index unavailable"),
				}) as unknown as Env,
			"no fleet writers",
		);
		await waitForTask(taskUuid, (t) => expect(t.status).toBe("complete"));
		expect(await statusIn(taskUuid, "?per_page=100")).toBeUndefined();

		// D1 back, still no writers: the alarm's push is the object's own.
		await runInDurableObject(rawStub(taskUuid), (instance: TaskObject) => {
			const swappable = instance as unknown as { env: Env };
			swappable.env = { ...swappable.env, TASK_INDEX: env.TASK_INDEX };
		});
		await fireAlarmsUntil(taskUuid, async () => (await statusIn(taskUuid, "?per_page=100")) === "complete");
	});
});
