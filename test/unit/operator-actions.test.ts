// Operator actions: cancel a task; reset, resolve or complete a step by hand; the task resumes.
import { describe, expect, it } from "vitest";
import { EngineDriver, failure, success } from "../support/engine-driver";
import { dagTemplate } from "../support/template-builders";

const by = { reason: "ops ticket 42" };

/** validate → charge (fails for good) → ship, beside notify; the task ends in error. */
function failedOrder() {
	const d = new EngineDriver();
	d.create(dagTemplate({ validate: [], charge: ["validate"], notify: ["validate"], ship: ["charge"] }));
	const [validate] = d.alarm();
	const branches = d.complete(validate as never);
	for (const m of branches) d.claim(m);
	d.report(branches.find((m) => m.step_name === "notify") as never, success("sent"));
	d.report(branches.find((m) => m.step_name === "charge") as never, failure(false));
	expect(d.task.status).toBe("error");
	return d;
}

describe("cancelling a task", () => {
	it("cancels every unfinished step, owes nothing, and ends the task cancelled", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: ["a"], c: ["a"] }));
		const [a] = d.alarm();
		d.claim(a as never);
		const outcome = d.cancel("customer asked");
		expect(outcome.kind).toBe("applied");
		expect(d.task).toMatchObject({ status: "cancelled", pendingSends: 0, completedAt: d.now });
		expect(d.task.counts).toMatchObject({ cancelled: 3, pending: 0, in_progress: 0 });
		expect(d.store.listTransitions(null).at(-1)).toMatchObject({
			fromState: "steps_in_process",
			toState: "cancelled",
			metadata: { reason: "customer asked" },
		});
		// The running step's late result is dropped; nothing is ever dispatched again.
		expect(d.report(a as never, success(1))).toEqual({ kind: "dropped", reason: "task_finished" });
		d.now += 3_600_000;
		expect(d.alarm()).toEqual([]);
	});

	it("a finished task cannot be cancelled, and nothing changes", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }));
		d.complete(d.alarm()[0] as never);
		const before = d.store.writes.task;
		expect(d.cancel()).toMatchObject({
			kind: "conflict",
			message: expect.stringMatching(/is already complete/),
		});
		expect(d.store.writes.task).toBe(before);
		expect(d.task.status).toBe("complete");
	});
});

describe("acting on a step", () => {
	it("reset_for_retry: the failed step runs again with a fresh budget; the task resumes from error", () => {
		const d = failedOrder();
		const outcome = d.act("charge", { action_type: "reset_for_retry", reset_by: "ops", ...by });
		expect(outcome.kind).toBe("applied");
		expect(d.task).toMatchObject({ status: "steps_in_process", completedAt: null });
		const [charge] = d.alarm();
		// Attempt numbers go on counting (attempt 1 already failed), so a late result of it stays stale.
		expect(charge).toMatchObject({ step_name: "charge", attempt: 2 });
		expect(d.step("charge")).toMatchObject({ state: "enqueued", retryBase: 1 });
		const claim = d.claim(charge as never);
		expect(claim.kind === "run" && claim.input.max_attempts).toBe(4);
		expect(d.report(charge as never, success("paid"))).toMatchObject({
			kind: "applied",
			effects: { dispatches: [{ step_name: "ship" }] },
		});
	});

	it("complete_manually: its data is the step's result, and its dependents read it", () => {
		const d = failedOrder();
		d.act("charge", {
			action_type: "complete_manually",
			completion_data: { result: { charged: true, amount: 10 } },
			completed_by: "ops",
			...by,
		});
		expect(d.step("charge")).toMatchObject({
			state: "complete",
			result: { result: { charged: true, amount: 10 } },
		});
		const [ship] = d.alarm();
		const claim = d.claim(ship as never);
		expect(claim.kind === "run" && claim.input.dependency_results.charge).toEqual({
			charged: true,
			amount: 10,
		});
		d.report(ship as never, success("shipped"));
		expect(d.task.status).toBe("complete");
	});

	it("resolve_manually: the step counts as done without a result; the task completes", () => {
		const d = failedOrder();
		d.act("charge", { action_type: "resolve_manually", resolved_by: "ops", ...by });
		expect(d.step("charge")).toMatchObject({ state: "resolved_manually", result: null });
		const [ship] = d.alarm();
		d.claim(ship as never);
		d.report(ship as never, success("shipped"));
		expect(d.task).toMatchObject({ status: "complete" });
		expect(d.task.counts).toMatchObject({ complete: 3, resolved_manually: 1 });
		const log = d.store.listTransitions(d.step("charge").stepUuid).at(-1);
		expect(log).toMatchObject({
			toState: "resolved_manually",
			metadata: { action: "resolve_manually", by: "ops" },
		});
	});

	it("refuses what makes no sense, and changes nothing", () => {
		const d = failedOrder();
		const before = d.store.writes.task;
		expect(d.act("notify", { action_type: "reset_for_retry", reset_by: "ops", ...by })).toMatchObject({
			kind: "conflict",
			message: "step notify is complete: only a step in error can be reset for retry",
		});
		expect(d.act("validate", { action_type: "resolve_manually", resolved_by: "ops", ...by })).toMatchObject({
			kind: "conflict",
			message: "step validate is complete: it is already done",
		});
		expect(d.store.writes.task).toBe(before);
		// A task in error has finished: it cannot be cancelled (its steps can still be acted on).
		expect(d.cancel()).toMatchObject({
			kind: "conflict",
			message: expect.stringMatching(/is already error/),
		});

		const running = new EngineDriver();
		running.create(dagTemplate({ a: [], b: ["a"] }));
		running.cancel();
		expect(running.act("b", { action_type: "resolve_manually", resolved_by: "ops", ...by })).toMatchObject({
			kind: "conflict",
			message: expect.stringMatching(/is cancelled: its steps can no longer change/),
		});
	});

	it("a retry that was pending when the task failed gets its alarm back on resume", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: [] }, { backoff: "linear", backoffBaseMs: 1_000 }));
		const [a, b] = d.alarm();
		d.claim(a as never);
		d.claim(b as never);
		d.report(a as never, failure(true));
		d.report(b as never, failure(false));
		expect(d.task.status).toBe("error");
		const outcome = d.act("b", { action_type: "resolve_manually", resolved_by: "ops", ...by });
		expect(outcome.kind === "applied" && outcome.effects.wakeAt).toBe(d.now + 1_000);
		d.now += 1_000;
		expect(d.alarm()).toMatchObject([{ step_name: "a", attempt: 2 }]);
	});
});
