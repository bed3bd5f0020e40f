// The claim window: a step whose message the queue accepted but nobody claimed (the message was lost:
// wrangler dev killed with it queued, or dropped past retention) is sent again by the alarm, the same
// attempt, so the task never strands. Pure core, manual clock.
import { describe, expect, it } from "vitest";
import { STEP_CLAIM_WINDOW_MS } from "../../src/limits";
import { EngineDriver, names, SEND_GRACE_MS } from "../support/engine-driver";

/** Sent steps must be claimed by then: the claim window counts from when the send was due. */
const CLAIM_BY_MS = SEND_GRACE_MS + STEP_CLAIM_WINDOW_MS;

import { dagTemplate } from "../support/template-builders";

describe("a sent step nobody claims", () => {
	it("is sent again, the same attempt, once its claim window has passed; the task then completes", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: ["a"] }));
		const [lost] = d.alarm();
		if (!lost) throw new Error("no root");
		expect(d.step("a").deadlineAt).toBe(d.now + CLAIM_BY_MS);
		expect(d.nextWake).toBe(d.now + CLAIM_BY_MS);

		d.now += CLAIM_BY_MS - 1;
		expect(d.alarm()).toEqual([]);
		d.now += 1;
		const [again] = d.alarm();
		expect(again).toEqual(lost);
		expect(d.task.stats.unclaimedResends).toBe(1);
		// No transition: a re-send is not a new attempt, and the audit says nothing happened to the step.
		expect(d.store.listTransitions(lost.step_uuid).map((t) => t.toState)).toEqual(["enqueued"]);

		const next = d.complete(again ?? lost);
		expect(names(next)).toEqual(["b"]);
		for (const m of next) d.complete(m);
		expect(d.task.status).toBe("complete");
	});

	it("is not sent again once claimed: the claim ends the window and starts the run's deadline", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }));
		const [a] = d.alarm();
		if (!a) throw new Error("no root");
		d.now += STEP_CLAIM_WINDOW_MS / 2;
		const claim = d.claim(a);
		expect(claim.kind).toBe("run");
		d.now += STEP_CLAIM_WINDOW_MS;
		// Only the run's own deadline can act now (30 s + grace have passed: a timeout, not a re-send).
		expect(d.alarm()).toEqual([]);
		expect(d.task.stats).toMatchObject({ unclaimedResends: 0, timeouts: 1 });
		expect(d.step("a").state).toBe("waiting_for_retry");
	});

	it("a late original after the re-send is refused at claim time, its result applied once", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }));
		const [original] = d.alarm();
		if (!original) throw new Error("no root");
		d.now += CLAIM_BY_MS;
		const [resent] = d.alarm();
		if (!resent) throw new Error("not re-sent");
		d.complete(resent);
		// The original arrives late: the task is finished, so its claim is refused and its handler never runs.
		expect(d.claim(original)).toEqual({ kind: "dropped", reason: "task_finished" });
		expect(d.task).toMatchObject({ status: "complete", stats: { resultsApplied: 1 } });
	});
});
