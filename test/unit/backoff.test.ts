// Retry delays: each backoff kind, its cap, the jitter bounds, and retryAfterSeconds winning.
import { describe, expect, it } from "vitest";
import { baseDelayMs, retryDelayMs } from "../../src/core/backoff";
import { BACKOFF_JITTER_FRACTION, MAX_RETRY_AFTER_SECONDS } from "../../src/limits";
import type { RetryPolicy } from "../../src/templates/task-template";

const policy = (backoff: RetryPolicy["backoff"], base = 1_000, max = 30_000): RetryPolicy => ({
	retryable: true,
	maxAttempts: 10,
	backoff,
	backoffBaseMs: base,
	maxBackoffMs: max,
});
const delays = (p: RetryPolicy) => [1, 2, 3, 4, 5, 6].map((n) => baseDelayMs(p, n));

describe("backoff kinds", () => {
	it("exponential doubles from the base and stops at the cap", () => {
		expect(delays(policy("exponential"))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000]);
	});
	it("linear grows by the base", () => {
		expect(delays(policy("linear"))).toEqual([1_000, 2_000, 3_000, 4_000, 5_000, 6_000]);
	});
	it("fibonacci follows 1, 1, 2, 3, 5, 8 times the base", () => {
		expect(delays(policy("fibonacci"))).toEqual([1_000, 1_000, 2_000, 3_000, 5_000, 8_000]);
	});
	it("none retries at once", () => {
		expect(delays(policy("none"))).toEqual([0, 0, 0, 0, 0, 0]);
		expect(retryDelayMs(policy("none"), 3, null, 0.9)).toBe(0);
	});
	it("huge attempt numbers stay finite and capped", () => {
		expect(baseDelayMs(policy("exponential"), 5_000)).toBe(30_000);
		expect(baseDelayMs(policy("fibonacci"), 5_000)).toBe(30_000);
	});
});

describe("jitter", () => {
	it("scales the delay within ±15%, never past the cap", () => {
		const p = policy("exponential", 1_000, 30_000);
		expect(retryDelayMs(p, 1, null, 0)).toBe(1_000 * (1 - BACKOFF_JITTER_FRACTION));
		expect(retryDelayMs(p, 1, null, 0.999_999)).toBeCloseTo(1_000 * (1 + BACKOFF_JITTER_FRACTION), -1);
		expect(retryDelayMs(p, 1, null, 0.5)).toBe(1_000);
		expect(retryDelayMs(p, 6, null, 0.999_999)).toBe(30_000);
	});
});

describe("retryAfterSeconds", () => {
	it("wins over the policy, without jitter", () => {
		expect(retryDelayMs(policy("exponential"), 1, 7, 0)).toBe(7_000);
		expect(retryDelayMs(policy("none"), 1, 2, 0.9)).toBe(2_000);
	});
	it("is capped, and ignored when negative", () => {
		expect(retryDelayMs(policy("exponential"), 1, 10 ** 9, 0.5)).toBe(MAX_RETRY_AFTER_SECONDS * 1_000);
		expect(retryDelayMs(policy("exponential"), 1, -5, 0.5)).toBe(1_000);
	});
});
