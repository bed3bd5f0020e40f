// The claim window: a step whose message the queue accepted but nobody claimed (the message was lost:
// wrangler dev killed with it queued, or dropped past retention) is sent again by the alarm, the same
// attempt, so the task never strands. Pure core, manual clock.
import { describe, expect, it } from "vitest";
import type { StepMessage } from "../../src/core/step-message";
import { STEP_CLAIM_WINDOW_FIRST_MS, STEP_CLAIM_WINDOW_MS } from "../../src/limits";
import { EngineDriver, names, SEND_GRACE_MS } from "../support/engine-driver";
import { dagTemplate } from "../support/template-builders";

/**
 * A fresh send must be claimed by then: its window counts from when the send was due (its grace after
 * the step was queued), and lasts as long as the step has waited, at least the first window.
 */
const CLAIM_BY_MS = SEND_GRACE_MS + Math.max(STEP_CLAIM_WINDOW_FIRST_MS, SEND_GRACE_MS);

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
		d.now += CLAIM_BY_MS / 2;
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

	it("backs off: each re-send waits as long as the step has waited so far, up to the longest window", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }));
		const queuedAt = d.now;
		const [lost] = d.alarm();
		if (!lost) throw new Error("no root");
		const resentAt: number[] = [];
		while (d.now < queuedAt + 20 * 60_000) {
			const wake = d.nextWake;
			if (wake === null) throw new Error("no alarm armed for the unclaimed step");
			d.now = wake;
			const sent = d.alarm();
			expect(sent).toEqual([lost]);
			resentAt.push((d.now - queuedAt) / 1_000);
		}
		// Seconds after the step was queued, with a 5 s send grace: 10, then each window as long as
		// the wait so far (doubling), then every 2 minutes (plus the grace) once the cap is reached.
		expect(resentAt.slice(0, 7)).toEqual([10, 30, 70, 150, 275, 400, 525]);
		const gaps = resentAt.slice(1).map((at, i) => at - (resentAt[i] ?? 0));
		expect(Math.max(...gaps)).toBe((SEND_GRACE_MS + STEP_CLAIM_WINDOW_MS) / 1_000);
		// 20 minutes of a lost message: 13 re-sends, where one every 10 s would have been 120.
		expect(resentAt).toHaveLength(13);
		expect(d.task.stats.unclaimedResends).toBe(13);
		// Still the same attempt: claimed at last, it completes once.
		d.complete(lost);
		expect(d.task).toMatchObject({ status: "complete", stats: { resultsApplied: 1 } });
	});

	it("starts again from the first window for a new attempt", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }));
		const [first] = d.alarm();
		if (!first) throw new Error("no root");
		// Lost three times: the next window is long by now.
		for (let i = 0; i < 3; i++) {
			d.now = d.nextWake ?? d.now;
			d.alarm();
		}
		expect((d.step("a").deadlineAt ?? 0) - d.now).toBeGreaterThan(60_000);
		// Claimed at last, it times out (its consumer died): the retry is a new attempt, a fresh send.
		expect(d.claim(first).kind).toBe("run");
		let retry: StepMessage | undefined;
		while (!retry && d.nextWake !== null) {
			d.now = d.nextWake;
			[retry] = d.alarm();
		}
		expect(retry).toMatchObject({ step_name: "a", attempt: 2 });
		expect(d.step("a").deadlineAt).toBe(d.now + CLAIM_BY_MS);
	});
});
