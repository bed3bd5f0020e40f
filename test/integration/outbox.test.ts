// Save, then send: when the queue refuses a send, the dispatch stays owed and the alarm sends it
// again; the task then completes as if nothing had happened.
import { describe, expect, it } from "vitest";
import {
	createSeedOrderWith,
	fireAlarmsUntil,
	stepsByName,
	taskStub,
	unavailable,
	waitForTask,
} from "./helpers";

describe("a failed send", () => {
	it("is retried by the alarm until the queue accepts it", async () => {
		// The queue is down before the task exists (its creation alarm may fire on its own at once).
		const { taskUuid: task_uuid, restore } = await createSeedOrderWith(
			"STEP_QUEUE",
			unavailable<Queue>("queue unavailable"),
		);
		await fireAlarmsUntil(
			task_uuid,
			async () => ((await taskStub(task_uuid).getStats())?.sendFailures ?? 0) > 0,
		);
		const owed = await stepsByName(task_uuid);
		expect(owed.validate_order).toMatchObject({ current_state: "enqueued", attempts: 1 });
		expect((await taskStub(task_uuid).getTask())?.status).toBe("enqueuing_steps");

		// The queue is back: the next alarm pass sends the same dispatch, and the order completes.
		await restore();
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
