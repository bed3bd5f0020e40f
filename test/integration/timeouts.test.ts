// Step timeouts in the real task object: a consumer claims an attempt and is never heard from again
// (it hung, or died after claiming). The alarm, fired by the test at the attempt's deadline, fails it
// as a retryable `timeout`, the retry goes through the real queue and completes the order, and the
// lost run's late report is dropped and counted.
import { describe, expect, it } from "vitest";
import type { StepMessage } from "../../src/core/step-message";
import { createSeedOrderWith, fireAlarmsUntil, stepsByName, taskStub, waitForTask } from "./helpers";

/** A queue that accepts every message and delivers none: the test plays the consumer itself. */
function swallowingQueue(sent: StepMessage[]): Queue {
	return {
		send: async (body: StepMessage) => {
			sent.push(body);
		},
		sendBatch: async (messages: Iterable<MessageSendRequest<StepMessage>>) => {
			for (const m of messages) sent.push(m.body);
		},
	} as unknown as Queue;
}

describe("a step whose consumer hangs after claiming it", () => {
	it("times out at its deadline, is retried through the queue, and its late result is dropped", async () => {
		const sent: StepMessage[] = [];
		const { taskUuid, restore } = await createSeedOrderWith("STEP_QUEUE", swallowingQueue(sent));
		const first = sent.find((m) => m.step_name === "validate_order");
		if (!first) throw new Error("the root was not sent");
		const task = taskStub(taskUuid);

		// A consumer claims attempt 1 ... and never reports.
		expect(await task.claim(first.step_uuid, 1)).toMatchObject({ kind: "run" });
		expect((await stepsByName(taskUuid)).validate_order).toMatchObject({
			current_state: "in_progress",
			attempts: 1,
		});

		// The real queue is back for the retry. Each alarm pass acts as of its scheduled time, so the
		// test reaches the deadline, then the backoff, without waiting for either.
		await restore();
		await fireAlarmsUntil(taskUuid, async () => ((await task.getStats())?.timeouts ?? 0) > 0);
		const timedOut = (await stepsByName(taskUuid)).validate_order;
		expect(timedOut?.last_error).toMatchObject({ error_type: "timeout", error_code: "STEP_TIMEOUT" });

		// Until the retry's pass has enqueued attempt 2 (its send is recorded by the claim that follows).
		await fireAlarmsUntil(taskUuid, async () => (await stepsByName(taskUuid)).validate_order?.attempts === 2);
		await waitForTask(taskUuid, (view) => expect(view.status).toBe("complete"));
		expect((await stepsByName(taskUuid)).validate_order).toMatchObject({
			current_state: "complete",
			attempts: 2,
		});

		// The hung run of attempt 1 finally reports: superseded by attempt 2, dropped and counted.
		const late = { success: true as const, result: { late: true }, metadata: {}, execution_time_ms: 1 };
		expect(await task.report(first.step_uuid, 1, late)).toMatchObject({ kind: "dropped" });
		expect(await task.getStats()).toMatchObject({ timeouts: 1, resultsApplied: 4, resultsDropped: 1 });
		const audit = (await task.getStepAudit(first.step_uuid)) ?? [];
		expect(audit.map((t) => [t.from_state, t.to_state, t.attempt])).toEqual([
			["pending", "enqueued", 1],
			["enqueued", "in_progress", 1],
			["in_progress", "waiting_for_retry", 1],
			["waiting_for_retry", "enqueued", 2],
			["enqueued", "in_progress", 2],
			["in_progress", "complete", 2],
		]);
	});
});
