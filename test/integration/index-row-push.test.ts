// The task index in D1 follows a task without a D1 write per status while it runs: a running task's new
// status goes out INDEX_ROW_DELAY_MS later, with whatever it is by then; its end goes out at once. The
// status last indexed is kept in memory, not written to the task's storage after every push.
import { describe, expect, it, vi } from "vitest";
import type { FleetPush } from "../../src/fleet/fleet-push";
import type { FleetWriterApi } from "../../src/fleet/fleet-writer-stub";
import { INDEX_ROW_DELAY_MS } from "../../src/limits";
import { api, createSeedOrderWithEnv, unavailable, waitForTask } from "./helpers";

/**
 * Creates a seed order straight in its task object with the object's fleet writers counting the pushes
 * handed to them, and optionally its step queue replaced, from before its first push.
 */
async function createCountingPushes(queue?: Queue) {
	const pushes = { sent: 0 };
	const countingPushes = (real: NonNullable<Env["FLEET_WRITERS"]>) =>
		({
			idFromName: (name: string) => real.idFromName(name),
			get: (id: DurableObjectId) => {
				const writer = real.get(id) as unknown as FleetWriterApi;
				return {
					push: (push: FleetPush) => {
						pushes.sent += 1;
						return writer.push(push);
					},
				};
			},
		}) as unknown as Env["FLEET_WRITERS"];
	const { taskUuid } = await createSeedOrderWithEnv(
		(env) => ({
			...env,
			FLEET_WRITERS: countingPushes(env.FLEET_WRITERS),
			...(queue ? { STEP_QUEUE: queue } : {}),
		}),
		"index pushes",
	);
	return { taskUuid, pushes };
}

async function indexedStatus(taskUuid: string): Promise<string | undefined> {
	const response = await api("/v1/tasks?per_page=100");
	expect(response.status).toBe(200);
	const listing = (await response.json()) as { tasks: Array<{ task_uuid: string; status: string }> };
	return listing.tasks.find((t) => t.task_uuid === taskUuid)?.status;
}

describe("the task index's pushes", () => {
	it("a task's creation pushes nothing at once; its end pushes its row, complete", async () => {
		const { taskUuid, pushes } = await createCountingPushes();
		// Created, its first step sent, and no D1 write yet: its status waits for the task to move on.
		expect(pushes.sent).toBe(0);
		await waitForTask(taskUuid, (t) => expect(t.status).toBe("complete"));
		await vi.waitFor(async () => expect(await indexedStatus(taskUuid)).toBe("complete"), {
			timeout: 2_000,
			interval: 10,
		});
		expect(pushes.sent).toBeGreaterThanOrEqual(1);
	});

	it("a task that stays running is listed INDEX_ROW_DELAY_MS after it changed, without an alarm", async () => {
		// The step queue refuses the send: the task stays enqueuing its first step (the alarm would retry
		// in a second; it is never fired here).
		const { taskUuid, pushes } = await createCountingPushes(unavailable<Queue>("queue unavailable"));
		expect(pushes.sent).toBe(0);
		const created = Date.now();
		await vi.waitFor(async () => expect(await indexedStatus(taskUuid)).toBe("enqueuing_steps"), {
			timeout: 5_000,
			interval: 10,
		});
		expect(Date.now() - created).toBeGreaterThanOrEqual(INDEX_ROW_DELAY_MS - 50);
		expect(pushes.sent).toBe(1);
	});
});
