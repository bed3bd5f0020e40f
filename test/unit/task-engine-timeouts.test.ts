// Step timeouts, enforced by the task object: a running attempt past its deadline (timeout_seconds
// plus grace) fails as a retryable `timeout`, the retry policy decides what follows, and the late
// result of the timed-out attempt is dropped and counted.
import { describe, expect, it } from "vitest";
import { claimDeadline } from "../../src/core/claim-window";
import { STEP_DEADLINE_GRACE_MS } from "../../src/limits";
import { EngineDriver, failure, SEND_GRACE_MS, success } from "../support/engine-driver";
import { dagTemplate } from "../support/template-builders";

const noBackoff = { backoff: "none" } as const;
const BUDGET_MS = 30_000 + STEP_DEADLINE_GRACE_MS;

function claimedRoot(
	retry: Parameters<typeof dagTemplate>[1] = noBackoff,
	shape: Record<string, string[]> = { a: [] },
) {
	const d = new EngineDriver();
	d.create(dagTemplate(shape, retry));
	const [first] = d.alarm();
	if (!first) throw new Error("no root dispatched");
	const claim = d.claim(first);
	if (claim.kind !== "run") throw new Error("claim dropped");
	return { d, first, claim };
}

describe("a claimed attempt whose consumer died (or hung)", () => {
	it("gets a deadline at claim time, which the shell arms its alarm for", () => {
		const { d, claim } = claimedRoot();
		expect(claim.deadline).toBe(d.now + BUDGET_MS);
		expect(d.step("a").deadlineAt).toBe(claim.deadline);
		expect(d.store.nextDueAt(true)).toBe(claim.deadline);
	});

	it("times out at its deadline: a retryable `timeout`, a new attempt, the late result dropped and counted", () => {
		const { d, first } = claimedRoot();
		d.now += BUDGET_MS - 1;
		expect(d.alarm()).toEqual([]);
		expect(d.step("a").state).toBe("in_progress");

		d.now += 1;
		const [retry] = d.alarm();
		expect(retry).toMatchObject({ step_name: "a", attempt: 2 });
		// Sent (and confirmed): now it must be claimed within its claim window.
		expect(d.step("a")).toMatchObject({
			state: "enqueued",
			attempt: 2,
			deadlineAt: claimDeadline(d.now, d.now + SEND_GRACE_MS),
		});
		expect(d.step("a").lastError).toMatchObject({
			error_type: "timeout",
			error_code: "STEP_TIMEOUT",
			retryable: true,
			metadata: { timeout_seconds: 30, detected_by: "task_object" },
		});
		const log = d.store.listTransitions(d.step("a").stepUuid);
		expect(log.map((t) => [t.toState, t.attempt])).toEqual([
			["enqueued", 1],
			["in_progress", 1],
			["waiting_for_retry", 1],
			["enqueued", 2],
		]);
		expect(log[2]?.metadata).toMatchObject({ error: { error_type: "timeout" } });

		// The dead consumer's run of attempt 1 reports after all: superseded, dropped, counted.
		expect(d.report(first, success("late"))).toEqual({ kind: "dropped", reason: "stale_attempt" });
		expect(d.claim(first)).toEqual({ kind: "dropped", reason: "stale_attempt" });
		expect(d.task.stats).toMatchObject({
			timeouts: 1,
			resultsDropped: 1,
			claimsDropped: 1,
			resultsApplied: 0,
		});

		if (!retry) throw new Error("no retry");
		d.complete(retry, "second");
		expect(d.step("a").result?.result).toBe("second");
		expect(d.task.status).toBe("complete");
	});

	it("follows the step's backoff like any retryable failure", () => {
		const { d } = claimedRoot({ backoff: "linear", backoffBaseMs: 2_000, maxBackoffMs: 10_000 });
		d.now += BUDGET_MS;
		expect(d.alarm()).toEqual([]);
		expect(d.step("a")).toMatchObject({ state: "waiting_for_retry", nextRetryAt: d.now + 2_000 });
		expect(d.task.status).toBe("waiting_for_retry");
		d.now += 2_000;
		expect(d.alarm()).toMatchObject([{ step_name: "a", attempt: 2 }]);
	});

	it("on its last attempt fails the step for good, and the task ends in error", () => {
		const { d } = claimedRoot({ ...noBackoff, maxAttempts: 1 });
		d.now += BUDGET_MS;
		expect(d.alarm()).toEqual([]);
		expect(d.step("a")).toMatchObject({ state: "error", deadlineAt: null });
		expect(d.task.status).toBe("error");
		expect(d.store.nextDueAt(true)).toBeNull();
	});

	it("is final when the template says the step is not retryable", () => {
		const { d } = claimedRoot({ ...noBackoff, retryable: false });
		d.now += BUDGET_MS;
		d.alarm();
		expect(d.step("a").state).toBe("error");
		expect(d.task.status).toBe("error");
	});

	it("a redelivery (its consumer died, the queue delivers again) restarts the clock for that run", () => {
		const { d, first } = claimedRoot();
		d.now += 20_000;
		const again = d.claim(first);
		expect(again).toMatchObject({ kind: "run", deadline: d.now + BUDGET_MS });
		d.now += BUDGET_MS - 1;
		expect(d.alarm()).toEqual([]);
		expect(d.step("a")).toMatchObject({ state: "in_progress", attempt: 1 });
	});

	it("a result before the deadline clears it: a later alarm changes nothing", () => {
		const { d, first } = claimedRoot();
		d.report(first, success(1));
		expect(d.step("a").deadlineAt).toBeNull();
		d.now += BUDGET_MS * 10;
		expect(d.alarm()).toEqual([]);
		expect(d.task.stats.timeouts).toBe(0);
		expect(d.task.status).toBe("complete");
	});

	it("the consumer's own timeout report (before the deadline) is applied as the attempt's failure", () => {
		const { d, first } = claimedRoot();
		d.now += 30_000;
		const reply = d.report(first, failure(true, { errorType: "timeout" }));
		expect(reply).toMatchObject({ kind: "applied", stepState: "waiting_for_retry" });
		d.now += STEP_DEADLINE_GRACE_MS;
		const [retry] = d.alarm();
		expect(retry).toMatchObject({ attempt: 2 });
		// The object did not time it out a second time.
		expect(d.task.stats.timeouts).toBe(0);
	});

	it("a task blocked by a failure still ends: its hung running step times out, and the task is in error", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: [] }, noBackoff));
		const [a, b] = d.alarm();
		if (!a || !b) throw new Error("two roots expected");
		d.claim(a);
		d.claim(b);
		d.report(a, failure(false));
		expect(d.task.status).toBe("blocked_by_failures");
		// b's consumer hangs: before deadlines, this task stayed blocked forever.
		d.now += BUDGET_MS;
		expect(d.alarm()).toEqual([]);
		expect(d.step("b")).toMatchObject({ state: "waiting_for_retry", lastError: { error_type: "timeout" } });
		expect(d.task.status).toBe("error");
	});
});

describe("deadlines of handed-over steps", () => {
	it("a handed-over step's deadline is armed by the reply that hands it over", () => {
		const { d, first } = claimedRoot(noBackoff, { a: [], b: ["a"] });
		const reply = d.report(first, success(1), true);
		if (reply.kind !== "applied") throw new Error("dropped");
		expect(reply.effects.wakeAt).toBe(d.now + BUDGET_MS);
		expect(d.step("b")).toMatchObject({
			state: "in_progress",
			deadlineAt: d.now + BUDGET_MS,
			dispatchDueAt: null,
		});
	});
});
