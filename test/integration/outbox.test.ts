// Save, then send: when the queue refuses a send, the dispatch stays owed and the alarm sends it
// again; the task then completes as if nothing had happened.
import { runInDurableObject } from "cloudflare:test";
import { v7 as uuidv7 } from "uuid";
import { describe, expect, it } from "vitest";
import type { TaskObject } from "../../durable-objects/task-object";
import { templates } from "../../src/generated/registry";
import { fireAlarmsUntil, rawStub, SEED_ORDER_CONTEXT, stepsByName, taskStub, waitForTask } from "./helpers";

type Swappable = { env: Env };

describe("a failed send", () => {
	it("is retried by the alarm until the queue accepts it", async () => {
		const task_uuid = uuidv7();
		const stub = rawStub(task_uuid);
		const template = templates.find((t) => t.name === "order_processing");
		if (!template) throw new Error("the seed's template is not registered");

		// The queue is down before the task exists (its creation alarm may fire on its own at once).
		const realQueue = await runInDurableObject(stub, async (instance: TaskObject) => {
			const swappable = instance as unknown as Swappable;
			const queue = swappable.env.STEP_QUEUE;
			swappable.env = {
				...swappable.env,
				STEP_QUEUE: {
					send: async () => {
						throw new Error("queue unavailable");
					},
					sendBatch: async () => {
						throw new Error("queue unavailable");
					},
				} as unknown as Queue,
			};
			await instance.create({
				taskUuid: task_uuid,
				template,
				context: SEED_ORDER_CONTEXT,
				initiator: "test",
				sourceSystem: "vitest",
				reason: "queue outage",
				tags: [],
				priority: 0,
				correlationId: "outbox-test",
				parentCorrelationId: null,
			});
			return queue;
		});
		await fireAlarmsUntil(
			task_uuid,
			async () => ((await taskStub(task_uuid).getStats())?.sendFailures ?? 0) > 0,
		);
		const owed = await stepsByName(task_uuid);
		expect(owed.validate_order).toMatchObject({ current_state: "enqueued", attempts: 1 });
		expect((await taskStub(task_uuid).getTask())?.status).toBe("enqueuing_steps");

		// The queue is back: the next alarm pass sends the same dispatch, and the order completes.
		await runInDurableObject(stub, (instance: TaskObject) => {
			const swappable = instance as unknown as Swappable;
			swappable.env = { ...swappable.env, STEP_QUEUE: realQueue };
		});
		await fireAlarmsUntil(
			task_uuid,
			async () => ((await taskStub(task_uuid).getStats())?.messagesSent ?? 0) > 0,
		);
		await waitForTask(task_uuid, (task) => expect(task.status).toBe("complete"));
		const stats = await taskStub(task_uuid).getStats();
		expect(stats?.sendFailures).toBeGreaterThanOrEqual(1);
		expect(stats).toMatchObject({ messagesSent: 1, resultsApplied: 4, resultsDropped: 0 });
		expect((await stepsByName(task_uuid)).validate_order?.attempts).toBe(1);
	});
});
