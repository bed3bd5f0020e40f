// The claim window's schedule (src/core/claim-window.ts), as a pure function: short for a fresh send,
// as long as the wait so far after that, capped; deterministic, so the figures are exact.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { claimDeadline, claimWindowMs } from "../../src/core/claim-window";
import { STEP_CLAIM_WINDOW_FIRST_MS, STEP_CLAIM_WINDOW_MS } from "../../src/limits";

describe("claimWindowMs", () => {
	it("is the first window for a fresh send, the wait so far after that, and never above the cap", () => {
		expect(claimWindowMs(0)).toBe(STEP_CLAIM_WINDOW_FIRST_MS);
		expect(claimWindowMs(STEP_CLAIM_WINDOW_FIRST_MS - 1)).toBe(STEP_CLAIM_WINDOW_FIRST_MS);
		expect(claimWindowMs(15_000)).toBe(15_000);
		expect(claimWindowMs(STEP_CLAIM_WINDOW_MS)).toBe(STEP_CLAIM_WINDOW_MS);
		expect(claimWindowMs(24 * 3_600_000)).toBe(STEP_CLAIM_WINDOW_MS);
		// A clock that went backwards (another isolate's) still gets a window, never a negative one.
		expect(claimWindowMs(-60_000)).toBe(STEP_CLAIM_WINDOW_FIRST_MS);
	});

	it("keeps the first window short enough to recover a lost message within seconds", () => {
		expect(STEP_CLAIM_WINDOW_FIRST_MS).toBeLessThanOrEqual(5_000);
		expect(STEP_CLAIM_WINDOW_MS).toBeGreaterThanOrEqual(60_000);
	});

	it("is monotonic in the wait and bounded", () => {
		fc.assert(
			fc.property(fc.nat(10 * 24 * 3_600_000), fc.nat(10 * 24 * 3_600_000), (a, b) => {
				const [low, high] = a <= b ? [a, b] : [b, a];
				expect(claimWindowMs(low)).toBeLessThanOrEqual(claimWindowMs(high));
				expect(claimWindowMs(a)).toBeGreaterThanOrEqual(STEP_CLAIM_WINDOW_FIRST_MS);
				expect(claimWindowMs(a)).toBeLessThanOrEqual(STEP_CLAIM_WINDOW_MS);
			}),
		);
	});
});

describe("claimDeadline: the re-sends of a message that keeps getting lost", () => {
	/** Re-send times (ms after queueing) for a send grace `graceMs`, up to `untilMs`. */
	function schedule(graceMs: number, untilMs: number): number[] {
		const times: number[] = [];
		let deadline = claimDeadline(0, graceMs);
		while (deadline <= untilMs) {
			times.push(deadline);
			deadline = claimDeadline(0, deadline + graceMs);
		}
		return times;
	}

	it("doubles the wait with each re-send, then settles at the cap", () => {
		// With no send grace: 5, 10, 20, 40, 80 s, then every 120 s.
		expect(schedule(0, 600_000)).toEqual([
			5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 280_000, 400_000, 520_000,
		]);
		// With the task object's 5 s grace (each re-send is due 5 s after it is decided).
		expect(schedule(5_000, 400_000)).toEqual([10_000, 30_000, 70_000, 150_000, 275_000, 400_000]);
	});

	it("costs a backed-up queue a logarithmic number of re-sends, not one per first window", () => {
		for (const backlogMs of [60_000, 300_000, 3_600_000]) {
			const resends = schedule(5_000, backlogMs).length;
			const fixedWindow = Math.floor(backlogMs / (5_000 + STEP_CLAIM_WINDOW_FIRST_MS));
			// Before the cap: about log2(backlog / first window); after it, one per 2 minutes.
			const bound =
				Math.ceil(Math.log2(Math.min(backlogMs, 2 * STEP_CLAIM_WINDOW_MS) / STEP_CLAIM_WINDOW_FIRST_MS)) +
				Math.ceil(Math.max(0, backlogMs - 2 * STEP_CLAIM_WINDOW_MS) / STEP_CLAIM_WINDOW_MS);
			expect(resends, `${backlogMs} ms backlog`).toBeLessThanOrEqual(bound);
			expect(resends).toBeLessThan(fixedWindow);
		}
	});

	it("recovers a message lost right after its send within the first window and its grace", () => {
		const queuedAt = 1_700_000_000_000;
		expect(claimDeadline(queuedAt, queuedAt + 5_000) - queuedAt).toBe(10_000);
		// A step queued long ago (a send that kept failing) starts with a long window.
		expect(claimDeadline(queuedAt, queuedAt + 10 * 60_000) - (queuedAt + 10 * 60_000)).toBe(
			STEP_CLAIM_WINDOW_MS,
		);
	});
});
