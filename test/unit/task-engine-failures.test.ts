// Failures and retries: backoff honoured, attempts counted, permanent failures block dependents.
import { describe, expect, it } from "vitest";
import { EngineDriver, failure, names } from "../support/engine-driver";
import { dagTemplate } from "../support/template-builders";

const fixedRetry = { backoff: "linear", backoffBaseMs: 1_000, maxBackoffMs: 10_000 } as const;

describe("retryable failures", () => {
	it("wait for their backoff in waiting_for_retry, then run again with the next attempt", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }, fixedRetry));
		const [first] = d.alarm();
		d.claim(first as never);
		const outcome = d.report(first as never, failure(true));
		expect(outcome).toMatchObject({ kind: "applied", stepState: "waiting_for_retry" });
		expect(d.task.status).toBe("waiting_for_retry");
		// random 0.5 is the middle of the jitter range: exactly the base delay.
		expect(d.step("a").nextRetryAt).toBe(d.now + 1_000);
		if (outcome.kind === "applied") expect(outcome.effects.wakeAt).toBe(d.now + 1_000);

		d.now += 999;
		expect(d.alarm()).toEqual([]);
		d.now += 1;
		const [second] = d.alarm();
		expect(second).toMatchObject({ step_name: "a", attempt: 2 });
		expect(d.step("a")).toMatchObject({ state: "enqueued", attempt: 2, nextRetryAt: null });
		expect(d.task.status).toBe("steps_in_process");
	});

	it("fail twice then succeed: complete after 3 attempts, the delays growing per the step's policy", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: ["a"] }, fixedRetry));
		let [message] = d.alarm();
		for (const expectedDelay of [1_000, 2_000]) {
			d.claim(message as never);
			d.report(message as never, failure(true));
			expect(d.step("a").nextRetryAt).toBe(d.now + expectedDelay);
			d.now += expectedDelay;
			[message] = d.alarm();
		}
		expect(names(d.complete(message as never))).toEqual(["b"]);
		expect(d.step("a")).toMatchObject({ state: "complete", attempt: 3 });
		expect(d.store.listTransitions(d.step("a").stepUuid).map((t) => t.toState)).toEqual([
			"enqueued",
			"in_progress",
			"waiting_for_retry",
			"enqueued",
			"in_progress",
			"waiting_for_retry",
			"enqueued",
			"in_progress",
			"complete",
		]);
	});

	it("a handler's retryAfterSeconds wins over the computed backoff", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }, fixedRetry));
		const [message] = d.alarm();
		d.claim(message as never);
		d.report(message as never, failure(true, { retryAfterSeconds: 42 }));
		expect(d.step("a").nextRetryAt).toBe(d.now + 42_000);
	});

	it("the last attempt failing puts the step and the task in error", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }, { ...fixedRetry, maxAttempts: 2 }));
		let [message] = d.alarm();
		d.claim(message as never);
		d.report(message as never, failure(true));
		d.now += 10_000;
		[message] = d.alarm();
		d.claim(message as never);
		const outcome = d.report(message as never, failure(true));
		expect(outcome).toMatchObject({ kind: "applied", stepState: "error", taskStatus: "error" });
		expect(d.step("a").lastError).toMatchObject({ error_type: "retryable_error", message: "try again" });
	});

	it("a template with retryable: false never retries, even if the handler says it may", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }, { retryable: false }));
		const [message] = d.alarm();
		d.claim(message as never);
		expect(d.report(message as never, failure(true))).toMatchObject({ stepState: "error" });
	});
});

describe("permanent failures", () => {
	it("put the step in error and the task in error through blocked_by_failures; no dependent runs", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ validate: [], reserve: ["validate"], notify: ["validate"], charge: ["reserve"] }));
		const [validate] = d.alarm();
		const branches = d.complete(validate as never);
		const reserve = branches.find((m) => m.step_name === "reserve");
		const notify = branches.find((m) => m.step_name === "notify");
		d.claim(reserve as never);
		d.claim(notify as never);

		const failed = d.report(reserve as never, failure(false));
		expect(failed).toMatchObject({ kind: "applied", stepState: "error", taskStatus: "blocked_by_failures" });
		if (failed.kind === "applied") expect(failed.effects.dispatches).toEqual([]);

		// The branch already running finishes and is recorded; then the task gives up.
		const finished = d.report(notify as never, {
			success: true,
			result: 1,
			metadata: {},
			execution_time_ms: 1,
		});
		expect(finished).toMatchObject({ kind: "applied", stepState: "complete", taskStatus: "error" });
		expect(d.step("charge")).toMatchObject({ state: "pending", attempt: 0 });
		expect(d.alarm()).toEqual([]);
		expect(d.store.listTransitions(null).map((t) => t.toState)).toEqual([
			"pending",
			"enqueuing_steps",
			"steps_in_process",
			"blocked_by_failures",
			"error",
		]);
	});

	it("no new step starts while blocked, even one whose other parents all completed", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: [], after_b: ["b"] }));
		const sent = d.alarm();
		const a = sent.find((m) => m.step_name === "a");
		const b = sent.find((m) => m.step_name === "b");
		d.claim(a as never);
		d.claim(b as never);
		d.report(a as never, failure(false));
		const done = d.report(b as never, { success: true, result: 1, metadata: {}, execution_time_ms: 1 });
		if (done.kind === "applied") expect(done.effects.dispatches).toEqual([]);
		expect(d.step("after_b")).toMatchObject({ state: "pending", unmetParents: 0 });
		expect(d.task.status).toBe("error");
	});

	it("a pending retry is not started once another step has failed for good", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: [] }, fixedRetry));
		const [a, b] = d.alarm();
		d.claim(a as never);
		d.claim(b as never);
		d.report(a as never, failure(true));
		d.report(b as never, failure(false));
		d.now += 60_000;
		expect(d.alarm()).toEqual([]);
		expect(d.task.status).toBe("error");
	});
});
