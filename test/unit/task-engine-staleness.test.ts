// Task lifetime and staleness, in the pure core with a manual clock: the thresholds a task gets (the
// template's lifecycle, else the defaults raised to what its steps may take), the alarm ending a stale
// task in `error` with a DLQ entry, late messages dropped, and an operator bringing it back.
import { describe, expect, it } from "vitest";
import { claimDeadline } from "../../src/core/claim-window";
import {
	DEFAULT_LIFECYCLE,
	STALENESS_SLACK_MS,
	stalenessDeadline,
	stalenessPolicy,
} from "../../src/core/lifecycle";
import { MAX_RETRY_AFTER_SECONDS, STEP_DEADLINE_GRACE_MS } from "../../src/limits";
import type { LifecycleSettings, TaskTemplate } from "../../src/templates/task-template";
import { EngineDriver, failure, SEND_GRACE_MS, success } from "../support/engine-driver";
import { chainShape, dagTemplate } from "../support/template-builders";

/** When a step queued at `queuedAt` and never claimed is sent again, before `until` (each re-send due after its grace). */
function resendTimes(queuedAt: number, until: number): number[] {
	const times: number[] = [];
	let deadline = claimDeadline(queuedAt, queuedAt + SEND_GRACE_MS);
	while (deadline < until) {
		times.push(deadline);
		deadline = claimDeadline(queuedAt, deadline + SEND_GRACE_MS);
	}
	return times;
}

const MIN = 60_000;

function withLifecycle(template: TaskTemplate, lifecycle: Partial<LifecycleSettings>): TaskTemplate {
	return {
		...template,
		lifecycle: {
			maxDurationMinutes: null,
			maxWaitingForDependenciesMinutes: null,
			maxWaitingForRetryMinutes: null,
			maxStepsInProcessMinutes: null,
			stalenessAction: "dlq",
			...lifecycle,
		},
	};
}

describe("the thresholds a task gets", () => {
	it("are the reference's defaults for a template of short steps, the retry wait raised to a handler's retry_after", () => {
		const policy = stalenessPolicy(dagTemplate({ a: [] }));
		expect(policy).toEqual({
			action: "dlq",
			maxDurationMs: DEFAULT_LIFECYCLE.maxDurationMinutes * MIN,
			maxWaitingForDependenciesMs: 60 * MIN,
			// A handler may ask for a retry in up to an hour: the default never cuts that short.
			maxWaitingForRetryMs: MAX_RETRY_AFTER_SECONDS * 1_000 + STALENESS_SLACK_MS,
			maxStepsInProcessMs: 30 * MIN,
		});
		// Without retries there is no retry wait to protect: the default stands.
		expect(stalenessPolicy(dagTemplate({ a: [] }, { maxAttempts: 1 })).maxWaitingForRetryMs).toBe(30 * MIN);
	});

	it("never cut short what the steps allow: a 1-hour timeout with 3 attempts, ten in a chain", () => {
		const template = dagTemplate(chainShape(10));
		for (const step of template.steps) step.timeoutSeconds = 3_600;
		const policy = stalenessPolicy(template);
		const run = 3_600_000 + STEP_DEADLINE_GRACE_MS;
		expect(policy.maxStepsInProcessMs).toBe(run + STALENESS_SLACK_MS);
		// Each step: 3 runs to the timeout and 2 waits of up to an hour; ten of them one after another.
		expect(policy.maxDurationMs).toBe(10 * (3 * run + 2 * 3_600_000) + STALENESS_SLACK_MS);
		expect(policy.maxDurationMs).toBeGreaterThan(DEFAULT_LIFECYCLE.maxDurationMinutes * MIN);
	});

	it("take the template's own values as given", () => {
		const template = withLifecycle(dagTemplate({ a: [] }), {
			maxDurationMinutes: 90,
			maxStepsInProcessMinutes: 5,
			maxWaitingForRetryMinutes: 2,
			stalenessAction: "error",
		});
		expect(stalenessPolicy(template)).toMatchObject({
			action: "error",
			maxDurationMs: 90 * MIN,
			maxStepsInProcessMs: 5 * MIN,
			maxWaitingForRetryMs: 2 * MIN,
			maxWaitingForDependenciesMs: 60 * MIN,
		});
	});
});

describe("a task stuck in steps_in_process (its message was lost, nobody claims it)", () => {
	it("is ended by the alarm at the threshold: stuck steps fail, the task goes to error, with a DLQ entry", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: ["a"] }));
		const [a] = d.alarm();
		if (!a) throw new Error("no root");
		const created = d.now;
		// Unclaimed, the message is sent again at the end of every claim window; those are lost too.
		const resends = resendTimes(created, created + 30 * MIN);
		expect(d.nextWake).toBe(resends[0]);
		let resent = 0;
		while (d.nextWake !== null && d.nextWake < created + 30 * MIN) {
			d.now = d.nextWake;
			resent += d.alarm().filter((m) => m.step_uuid === a.step_uuid && m.attempt === a.attempt).length;
		}
		expect(resent).toBe(resends.length);
		expect(d.task.stats.unclaimedResends).toBe(resent);
		// Re-sending is no progress: the alarm is armed for the moment the task goes stale.
		expect(d.nextWake).toBe(created + 30 * MIN);

		d.now = created + 30 * MIN - 1;
		expect(d.alarm()).toEqual([]);
		expect(d.task.status).toBe("steps_in_process");

		d.now = created + 30 * MIN;
		expect(d.alarm()).toEqual([]);
		expect(d.task.status).toBe("error");
		expect(d.step("a")).toMatchObject({
			state: "error",
			lastError: { error_type: "staleness_timeout", error_code: "TASK_STALE", retryable: false },
		});
		// A step that never became ready stays pending, as when any step fails for good.
		expect(d.step("b").state).toBe("pending");
		expect(d.nextWake).toBeNull();

		const [entry] = d.store.dlqEntries;
		expect(d.store.dlqEntries).toHaveLength(1);
		expect(entry).toMatchObject({
			task_uuid: "task-1",
			original_state: "steps_in_process",
			dlq_reason: "staleness_timeout",
			dlq_timestamp: d.now,
			resolution_status: "pending",
			metadata: { threshold: "max_steps_in_process_minutes", threshold_minutes: 30, failed_steps: 1 },
			task_snapshot: {
				status: "error",
				original_state: "steps_in_process",
				unfinished_steps: [
					expect.objectContaining({ name: "a", state: "error" }),
					expect.objectContaining({ name: "b", state: "pending" }),
				],
			},
		});

		// The log agrees: the step's failure, then the task's move to error, saying why.
		const taskLog = d.store.listTransitions(null);
		expect(taskLog.at(-1)).toMatchObject({
			fromState: "steps_in_process",
			toState: "error",
			metadata: { reason: "staleness_timeout", threshold: "max_steps_in_process_minutes" },
		});
		expect(d.store.listTransitions(a.step_uuid).at(-1)).toMatchObject({
			fromState: "enqueued",
			toState: "error",
		});

		// The lost message turns up after all: its claim and its result are dropped.
		expect(d.claim(a)).toEqual({ kind: "dropped", reason: "task_finished" });
		expect(d.report(a, success(1))).toEqual({ kind: "dropped", reason: "task_finished" });
		// Another alarm pass changes nothing and stages no second entry.
		expect(d.alarm()).toEqual([]);
		expect(d.store.dlqEntries).toHaveLength(1);
	});

	it("is not stale while it keeps moving: each transition restarts the clock in its status", () => {
		const d = new EngineDriver();
		d.create(dagTemplate(chainShape(4)));
		let [next] = d.alarm();
		for (let i = 0; i < 4 && next; i++) {
			d.now += 20 * MIN; // each step waits 20 minutes in the queue: 80 minutes in steps_in_process in all
			// Past its claim window it is sent again (the same attempt): still no progress to count.
			expect(d.alarm().map((m) => [m.step_uuid, m.attempt])).toEqual([[next.step_uuid, next.attempt]]);
			[next] = d.complete(next);
		}
		expect(d.task.status).toBe("complete");
		expect(d.store.dlqEntries).toEqual([]);
	});
});

describe("the lifetime (max_duration_minutes)", () => {
	it("ends a task that keeps moving but runs too long", () => {
		const d = new EngineDriver();
		d.create(withLifecycle(dagTemplate(chainShape(5)), { maxDurationMinutes: 10 }));
		const created = d.now;
		let [next] = d.alarm();
		for (let i = 0; i < 2 && next; i++) {
			d.now += 4 * MIN;
			[next] = d.complete(next);
		}
		expect(d.task.status).toBe("steps_in_process");
		// The alarm is armed no later than the lifetime (the unclaimed step's claim window may come first).
		expect(stalenessDeadline(d.task)?.at).toBe(created + 10 * MIN);
		expect(d.nextWake).toBeLessThanOrEqual(created + 10 * MIN);
		d.now = created + 10 * MIN;
		d.alarm();
		expect(d.task.status).toBe("error");
		expect(d.step("s2").lastError?.message).toContain("lifetime (max_duration_minutes: 10)");
		expect(d.store.dlqEntries[0]?.metadata).toMatchObject({ threshold: "max_duration_minutes" });
	});
});

describe("a task stuck waiting for a retry", () => {
	it("fails its waiting step past max_waiting_for_retry_minutes", () => {
		const d = new EngineDriver();
		d.create(withLifecycle(dagTemplate({ a: [] }), { maxWaitingForRetryMinutes: 5 }));
		const [a] = d.alarm();
		if (!a || d.claim(a).kind !== "run") throw new Error("no run");
		// The handler asks for a retry in 10 minutes: longer than the template lets a task wait.
		d.report(a, failure(true, { retryAfterSeconds: 600 }));
		expect(d.task.status).toBe("waiting_for_retry");
		d.now += 5 * MIN;
		expect(d.alarm()).toEqual([]);
		expect(d.task.status).toBe("error");
		expect(d.step("a")).toMatchObject({ state: "error", nextRetryAt: null });
		expect(d.store.dlqEntries[0]).toMatchObject({
			original_state: "waiting_for_retry",
			metadata: { threshold: "max_waiting_for_retry_minutes" },
		});
	});
});

describe("staleness_action", () => {
	it("error: the task goes to error, with no DLQ entry", () => {
		const d = new EngineDriver();
		d.create(withLifecycle(dagTemplate({ a: [] }), { stalenessAction: "error" }));
		d.alarm();
		d.now += 30 * MIN;
		d.alarm();
		expect(d.task.status).toBe("error");
		expect(d.store.dlqEntries).toEqual([]);
	});

	it("none: the task is never declared stale, and no alarm is armed for it (only the claim window's)", () => {
		const d = new EngineDriver();
		d.create(withLifecycle(dagTemplate({ a: [] }), { stalenessAction: "none" }));
		d.alarm();
		expect(stalenessDeadline(d.task)).toBeNull();
		expect(d.nextWake).toBe(claimDeadline(d.now, d.now + SEND_GRACE_MS));
		d.now += 30 * 24 * 60 * MIN;
		d.alarm();
		expect(d.task.status).toBe("steps_in_process");
	});
});

describe("an operator bringing a stale task back", () => {
	it("resets the failed step; the task runs again with a fresh lifetime and completes", () => {
		const d = new EngineDriver();
		d.create(withLifecycle(dagTemplate({ a: [] }), { maxDurationMinutes: 10 }));
		d.alarm();
		d.now += 10 * MIN;
		d.alarm();
		expect(d.task.status).toBe("error");

		d.now += 60 * MIN;
		const outcome = d.act("a", { action_type: "reset_for_retry", reason: "queue fixed", reset_by: "ops" });
		expect(outcome.kind).toBe("applied");
		const [retry] = d.alarm();
		if (!retry) throw new Error("no retry dispatched");
		expect(d.task.status).toBe("steps_in_process");
		expect(stalenessDeadline(d.task)?.at).toBe(d.now + 10 * MIN);
		d.complete(retry);
		expect(d.task.status).toBe("complete");
	});
});
