// At-least-once in, exactly-once out: duplicates, stale attempts and late results change nothing.
import { describe, expect, it } from "vitest";
import { confirmDispatched, dispatchFailed, runDueWork } from "../../src/core/due-work";
import { EngineDriver, failure, SEND_GRACE_MS, success } from "../support/engine-driver";
import { dagTemplate } from "../support/template-builders";

/** Everything but the counters of dropped messages, which exist to count exactly these. */
function snapshot(d: EngineDriver) {
	const task = structuredClone(d.task);
	task.stats.resultsDropped = 0;
	task.stats.claimsDropped = 0;
	return { task, steps: d.store.listSteps(), transitions: d.store.transitions.length };
}

describe("duplicate and stale results", () => {
	it("a second delivery of the same result is dropped and changes nothing", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: ["a"] }));
		const [a] = d.alarm();
		d.complete(a as never, { n: 1 });
		const before = snapshot(d);
		expect(d.report(a as never, success({ n: 2 }))).toEqual({
			kind: "dropped",
			reason: "step_not_in_flight",
		});
		expect(snapshot(d)).toEqual(before);
		expect(d.step("a").result?.result).toEqual({ n: 1 });
		expect(d.task.stats.resultsDropped).toBe(1);
	});

	it("a duplicate delivery of a finished attempt is refused at claim time: its handler never runs", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: ["a"] }));
		const [a] = d.alarm();
		d.complete(a as never);
		const before = snapshot(d);
		expect(d.claim(a as never)).toEqual({ kind: "dropped", reason: "step_not_in_flight" });
		expect(snapshot(d)).toEqual(before);
		expect(d.task.stats.claimsDropped).toBe(1);
	});

	it("a redelivery of a running attempt (its consumer died) may claim it again", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }));
		const [a] = d.alarm();
		expect(d.claim(a as never).kind).toBe("run");
		expect(d.claim(a as never).kind).toBe("run");
		d.report(a as never, success(1));
		expect(d.report(a as never, success(2))).toMatchObject({ kind: "dropped" });
		expect(d.step("a").result?.result).toBe(1);
		expect(d.store.listTransitions(d.step("a").stepUuid).map((t) => t.metadata.redelivered ?? false)).toEqual(
			[false, false, true, false],
		);
	});

	it("a late result of a superseded attempt is dropped as stale", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }, { backoff: "none" }));
		const [first] = d.alarm();
		d.claim(first as never);
		d.report(first as never, failure(true));
		const [second] = d.alarm();
		d.claim(second as never);
		const before = snapshot(d);
		expect(d.report(first as never, success("late"))).toEqual({ kind: "dropped", reason: "stale_attempt" });
		expect(d.claim(first as never)).toEqual({ kind: "dropped", reason: "stale_attempt" });
		expect(snapshot(d)).toEqual(before);
		expect(d.report(second as never, success("current"))).toMatchObject({ kind: "applied" });
	});

	it("results for a finished task, an unknown step, or an empty object are dropped", () => {
		const d = new EngineDriver();
		expect(d.report({ step_uuid: "x", attempt: 1 } as never, success(1))).toEqual({
			kind: "dropped",
			reason: "unknown_task",
		});
		d.create(dagTemplate({ a: [] }));
		const [a] = d.alarm();
		expect(d.report({ ...a, step_uuid: "nope" } as never, success(1))).toMatchObject({
			reason: "unknown_step",
		});
		d.complete(a as never);
		expect(d.report(a as never, success(1))).toMatchObject({ reason: "task_finished" });
	});
});

describe("the outbox", () => {
	it("an alarm that fires twice sends nothing twice once the send is confirmed", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: [] }));
		expect(d.alarm()).toHaveLength(2);
		expect(d.alarm()).toEqual([]);
		// Past the send grace, up to the end of the claim window (when an unclaimed message is presumed lost).
		d.now += SEND_GRACE_MS;
		expect(d.alarm()).toEqual([]);
		d.now = (d.nextWake ?? 0) - 1;
		expect(d.now).toBeGreaterThan(d.task.createdAt + SEND_GRACE_MS);
		expect(d.alarm()).toEqual([]);
	});

	it("a dispatch whose send was never confirmed (the object died) is sent again after the grace period", () => {
		const d = new EngineDriver();
		const first = d.createUnsent(dagTemplate({ a: [] })).effects;
		expect(first.dispatches).toHaveLength(1);
		expect(first.wakeAt).toBe(d.now + SEND_GRACE_MS);
		expect(
			runDueWork(
				d.store,
				d.now + 1,
				SEND_GRACE_MS,
				() => 0.5,
				() => "dlq-entry-1",
			).dispatches,
		).toEqual([]);
		const again = runDueWork(
			d.store,
			d.now + SEND_GRACE_MS,
			SEND_GRACE_MS,
			() => 0.5,
			() => "dlq-entry-1",
		);
		expect(again.dispatches).toEqual(first.dispatches);
	});

	it("a failed send stays owed and is retried when asked; the task counts the failure", () => {
		const d = new EngineDriver();
		const { dispatches } = d.createUnsent(dagTemplate({ a: [] })).effects;
		expect(dispatchFailed(d.store, dispatches, d.now, 1_000)).toBe(d.now + 1_000);
		expect(d.task.stats.sendFailures).toBe(1);
		expect(d.task.status).toBe("enqueuing_steps");
		const retried = runDueWork(
			d.store,
			d.now + 1_000,
			SEND_GRACE_MS,
			() => 0.5,
			() => "dlq-entry-1",
		);
		expect(retried.dispatches).toEqual(dispatches);
		confirmDispatched(d.store, retried.dispatches, 1, d.now + 1_000);
		expect(d.task).toMatchObject({ pendingSends: 0, status: "steps_in_process" });
	});

	it("a confirmation that arrives after the step moved on changes nothing", () => {
		const d = new EngineDriver();
		const { dispatches } = d.createUnsent(dagTemplate({ a: [] })).effects;
		d.claim(dispatches[0] as never);
		d.report(dispatches[0] as never, success(1));
		const steps = d.store.listSteps();
		confirmDispatched(d.store, dispatches, 1, d.now);
		expect(d.store.listSteps()).toEqual(steps);
		expect(d.task.pendingSends).toBe(0);
	});
});
