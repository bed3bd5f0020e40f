// Retry delay for a failed attempt: the step's own backoff policy with jitter, unless the handler
// asked for a specific delay (`retryAfterSeconds`), which wins.
import { BACKOFF_JITTER_FRACTION, MAX_RETRY_AFTER_SECONDS } from "../limits";
import type { RetryPolicy } from "../templates/task-template";

/**
 * @param failedAttempt the 1-based attempt that just failed (the first retry follows attempt 1)
 * @param random a number in [0, 1): passed in so that the core stays deterministic under test
 */
export function retryDelayMs(
	policy: RetryPolicy,
	failedAttempt: number,
	retryAfterSeconds: number | null,
	random: number,
): number {
	if (retryAfterSeconds !== null && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
		return Math.round(Math.min(retryAfterSeconds, MAX_RETRY_AFTER_SECONDS) * 1000);
	}
	const base = baseDelayMs(policy, failedAttempt);
	if (base === 0) return 0;
	// Jitter spreads the retries of many steps that failed together (a downstream outage) over time.
	const jitter = 1 - BACKOFF_JITTER_FRACTION + 2 * BACKOFF_JITTER_FRACTION * random;
	return Math.round(Math.min(base * jitter, policy.maxBackoffMs));
}

/** The un-jittered delay: what the policy prescribes after `failedAttempt` failures. */
export function baseDelayMs(policy: RetryPolicy, failedAttempt: number): number {
	const n = Math.max(1, failedAttempt);
	let delay: number;
	switch (policy.backoff) {
		case "none":
			return 0;
		case "linear":
			delay = policy.backoffBaseMs * n;
			break;
		case "exponential":
			// Cap the exponent: 2^60 already dwarfs any max_backoff_ms, and keeps the number finite.
			delay = policy.backoffBaseMs * 2 ** Math.min(n - 1, 60);
			break;
		case "fibonacci":
			delay = policy.backoffBaseMs * fibonacci(n);
			break;
	}
	return Math.min(delay, policy.maxBackoffMs);
}

/** 1, 1, 2, 3, 5, ... (saturates long before it could overflow a double). */
function fibonacci(n: number): number {
	let a = 1;
	let b = 1;
	for (let i = 2; i < Math.min(n, 80); i++) [a, b] = [b, a + b];
	return n <= 2 ? 1 : b;
}
