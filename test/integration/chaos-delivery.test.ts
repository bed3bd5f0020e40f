// A small chaos run through the real task object, queue and consumer: a test-only queue wrapper
// refuses the first send (the dispatch stays owed; the alarm sends it again) and then delivers every
// message twice. The orders complete with every result recorded once, and each duplicate is dropped.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createSeedOrderWith, fireAlarmsUntil, stepsByName, taskStub, waitForTask } from "./helpers";

/** Wraps the real queue: the first sendBatch fails, every later one is sent twice. */
function chaoticQueue(real: Queue, injected: { failures: number; duplicates: number }): Queue {
	let calls = 0;
	return {
		send: (body: unknown) => real.send(body),
		sendBatch: async (messages: Iterable<MessageSendRequest>) => {
			calls += 1;
			if (calls === 1) {
				injected.failures += 1;
				throw new Error("chaos: queue unavailable");
			}
			const batch = [...messages];
			await real.sendBatch(batch);
			await real.sendBatch(batch);
			injected.duplicates += batch.length;
		},
	} as unknown as Queue;
}

describe("chaos through the real task object", () => {
	it("a refused send and duplicated deliveries: the order completes, each result applied once, dropped = duplicates", async () => {
		const injected = { failures: 0, duplicates: 0 };
		const { taskUuid } = await createSeedOrderWith("STEP_QUEUE", chaoticQueue(env.STEP_QUEUE, injected));
		const task = taskStub(taskUuid);
		// The refused send is retried by the alarm (fired here, never waited for).
		await fireAlarmsUntil(taskUuid, async () => ((await task.getStats())?.messagesSent ?? 0) > 0);
		await waitForTask(taskUuid, (view) => expect(view.status).toBe("complete"));
		// Every duplicate has been delivered and refused once the counters add up.
		await vi.waitFor(
			async () => {
				const stats = await task.getStats();
				expect((stats?.claimsDropped ?? 0) + (stats?.resultsDropped ?? 0)).toBe(injected.duplicates);
			},
			{ timeout: 10_000, interval: 5 },
		);

		expect(injected).toMatchObject({ failures: 1 });
		expect(injected.duplicates).toBeGreaterThan(0);
		const stats = await task.getStats();
		expect(stats).toMatchObject({ sendFailures: 1, resultsApplied: 4, timeouts: 0 });
		const steps = await stepsByName(taskUuid);
		for (const step of Object.values(steps)) {
			expect(step).toMatchObject({ current_state: "complete", attempts: 1 });
			const log = (await task.getStepAudit(step.step_uuid)) ?? [];
			expect(log.filter((t) => t.to_state === "complete")).toHaveLength(1);
		}
		expect(steps.charge_payment?.results?.result).toMatchObject({ charged: true, amount: 109.97 });
	});
});
