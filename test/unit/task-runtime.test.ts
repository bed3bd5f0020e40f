// The task runtime's sequencing on its own (the Durable Object only wraps it): save, then send; the
// alarm is armed in the same write as what it covers; a failed send stays owed; an alarm that fires
// twice does nothing the second time; a failed transaction changes nothing.
import { describe, expect, it } from "vitest";
import { SEND_GRACE_MS, SEND_RETRY_MS } from "../../src/limits";
import { RuntimeHarness } from "../support/runtime-harness";

const ok = { success: true as const, result: { ok: 1 }, metadata: {}, execution_time_ms: 1 };

describe("the task runtime", () => {
	it("saves a dispatch as owed, with the alarm that re-sends it, before it sends; the next transaction records the send", async () => {
		const h = new RuntimeHarness();
		await h.create({ a: [], b: ["a"] });
		expect(h.atSend).toEqual([{ owed: ["a"], alarmAt: h.now + SEND_GRACE_MS }]);
		expect(h.sent.map((batch) => batch.map((m) => m.step_name))).toEqual([["a"]]);
		// Not a write of its own after the send: still owed in storage, the alarm still armed for it.
		expect(h.step("a").dispatchDueAt).toBe(h.now + SEND_GRACE_MS);
		expect(h.platformAlarm).toBe(h.now + SEND_GRACE_MS);
		// The alarm pass (or any other transaction, such as the claim) records it first: nothing re-sent.
		h.now += SEND_GRACE_MS;
		await h.runtime.alarmFired();
		expect(h.sent).toHaveLength(1);
		expect(h.step("a").dispatchDueAt).toBeNull();
		expect(h.step("a").deadlineAt).not.toBeNull();
	});

	it("a send recorded by the claim that follows it: claimed, no longer owed, counted once", async () => {
		const h = new RuntimeHarness();
		await h.create({ a: [] });
		const a = h.step("a");
		const [claim] = await h.runtime.claimMany([{ stepUuid: a.stepUuid, attempt: 1 }]);
		expect(claim?.kind).toBe("run");
		expect(h.step("a").dispatchDueAt).toBeNull();
		expect(h.runtime.store.loadTask()?.stats).toMatchObject({ messagesSent: 1, sendBatches: 1 });
	});

	it("leaves a failed send owed and arms the alarm to try again", async () => {
		const h = new RuntimeHarness();
		h.failSends = true;
		await h.create({ a: [] });
		expect(h.sent).toEqual([]);
		expect(h.step("a").dispatchDueAt).toBe(h.now + SEND_RETRY_MS);
		expect(h.platformAlarm).toBe(h.now + SEND_RETRY_MS);

		h.failSends = false;
		h.now += SEND_RETRY_MS;
		await h.runtime.alarmFired();
		expect(h.sent.map((batch) => batch.map((m) => m.step_name))).toEqual([["a"]]);
		// Recorded by the next transaction (here the claim), as any successful send.
		await h.runtime.claimMany([{ stepUuid: h.step("a").stepUuid, attempt: 1 }]);
		expect(h.step("a").dispatchDueAt).toBeNull();
	});

	it("runs a claim and a report to the end: what became ready is sent, a finished task drops its alarm", async () => {
		const h = new RuntimeHarness();
		await h.create({ a: [], b: ["a"] });
		const a = h.step("a");
		const [claim] = await h.runtime.claimMany([{ stepUuid: a.stepUuid, attempt: 1 }]);
		expect(claim?.kind).toBe("run");
		const [reply] = await h.runtime.reportMany([{ stepUuid: a.stepUuid, attempt: 1, outcome: ok }]);
		expect(reply).toMatchObject({ kind: "applied", stepState: "complete" });
		expect(h.sent.at(-1)?.map((m) => m.step_name)).toEqual(["b"]);

		const b = h.step("b");
		await h.runtime.claimMany([{ stepUuid: b.stepUuid, attempt: 1 }]);
		const waiting = h.runtime.getTask(60_000);
		await h.runtime.reportMany([{ stepUuid: b.stepUuid, attempt: 1, outcome: ok }]);
		// The reader waiting for the end is woken by the report that finished the task, not by its timeout.
		expect((await waiting)?.status).toBe("complete");
		expect(h.platformAlarm).toBeNull();
		expect(h.store.getMeta("alarm_at") ?? null).toBeNull();
	});

	it("a second firing of the same alarm finds nothing due and sends nothing", async () => {
		const h = new RuntimeHarness();
		h.failSends = true;
		await h.create({ a: [] });
		h.failSends = false;
		h.now += SEND_RETRY_MS;
		await h.runtime.alarmFired();
		await h.runtime.alarmFired();
		expect(h.sent).toHaveLength(1);
		expect(h.store.loadTask()?.stats.messagesSent).toBe(1);
	});

	it("a transaction that fails changes nothing, sends nothing, and throws to the caller", async () => {
		const h = new RuntimeHarness();
		await h.create({ a: [] });
		const before = JSON.stringify(h.store.listSteps());
		const sentBefore = h.sent.length;
		await expect(
			h.runtime.reportMany([{ stepUuid: h.step("a").stepUuid, attempt: 1, outcome: { bad: true } as never }]),
		).rejects.toThrow();
		expect(JSON.stringify(h.store.listSteps())).toBe(before);
		expect(h.sent).toHaveLength(sentBefore);
	});

	it("drops a duplicate report of an attempt already applied, and says so", async () => {
		const h = new RuntimeHarness();
		await h.create({ a: [] });
		const a = h.step("a");
		await h.runtime.claimMany([{ stepUuid: a.stepUuid, attempt: 1 }]);
		await h.runtime.reportMany([{ stepUuid: a.stepUuid, attempt: 1, outcome: ok }]);
		const [again] = await h.runtime.reportMany([{ stepUuid: a.stepUuid, attempt: 1, outcome: ok }]);
		expect(again?.kind).toBe("dropped");
		expect(h.store.loadTask()?.stats).toMatchObject({ resultsApplied: 1, resultsDropped: 1 });
	});
});
