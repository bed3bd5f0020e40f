import { describe, expect, it } from "vitest";
import { bucketIndex, DURATION_BUCKETS_MS, isEmptyDelta, metricsDelta } from "../../src/core/metrics-delta";
import type { TransitionRecord } from "../../src/core/task-records";
import { EngineDriver, failure, success } from "../support/engine-driver";
import { dagTemplate } from "../support/template-builders";

const foldAll = (d: EngineDriver, firstPush = true) =>
	metricsDelta({
		transitions: d.store.transitions,
		firstPush,
		resultsDropped: d.task.stats.resultsDropped,
		claimsDropped: d.task.stats.claimsDropped,
	});

describe("metricsDelta: the fleet counters are folded from the transition log", () => {
	it("counts a diamond that completes: one task created and completed, four dispatches and successes", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: ["a"], c: ["a"], d: ["b", "c"] }));
		let ready = d.alarm();
		while (ready.length > 0) ready = ready.flatMap((m) => d.complete(m));
		expect(d.task.status).toBe("complete");
		const delta = foldAll(d);
		expect(delta.counters).toEqual({
			tasks_created: 1,
			tasks_completed: 1,
			steps_dispatched: 4,
			steps_succeeded: 4,
		});
		expect(delta.durations.map((x) => [x.step, x.count])).toEqual([
			["a", 1],
			["b", 1],
			["c", 1],
			["d", 1],
		]);
	});

	it("counts a retry, a permanent failure, a failed task and a dropped duplicate result", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }, { maxAttempts: 2, backoff: "none" }));
		const [first] = d.alarm();
		if (!first) throw new Error("a was not dispatched");
		d.claim(first);
		d.report(first, failure(true));
		d.report(first, failure(true)); // the same result delivered twice: dropped
		d.now += 60_000;
		const [second] = d.alarm();
		if (!second) throw new Error("a was not retried");
		d.claim(second);
		d.report(second, failure(false));
		expect(d.task.status).toBe("error");
		expect(foldAll(d).counters).toEqual({
			tasks_created: 1,
			tasks_failed: 1,
			steps_dispatched: 2,
			steps_retried: 1,
			steps_failed: 1,
			results_dropped: 1,
		});
	});

	it("counts a step handed over to the reporter as dispatched, once", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: ["a"] }));
		const [a] = d.alarm();
		if (!a) throw new Error("a was not dispatched");
		d.claim(a);
		const outcome = d.report(a, success(1), true);
		expect(outcome.kind === "applied" && outcome.next.map((n) => n.step_name)).toEqual(["b"]);
		expect(foldAll(d).counters.steps_dispatched).toBe(2);
	});

	it("counts a cancelled task; only the first push counts the task as created", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }));
		d.cancel();
		expect(foldAll(d, false).counters).toMatchObject({ tasks_cancelled: 1, steps_dispatched: 1 });
		expect(foldAll(d, false).counters.tasks_created).toBeUndefined();
	});

	it("splits the log into pushes whose sum is the whole: nothing counted twice or lost", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: ["a"], c: ["b"] }));
		const cut = (after: number, upto: number) =>
			d.store.transitions.filter((t) => t.seq > after && t.seq <= upto);
		let ready = d.alarm();
		const marks = [0];
		while (ready.length > 0) {
			ready = ready.flatMap((m) => d.complete(m));
			marks.push(d.task.transitionSeq);
		}
		const parts = marks.slice(1).map((upto, i) =>
			metricsDelta({
				transitions: cut(marks[i] ?? 0, upto),
				firstPush: i === 0,
				resultsDropped: 0,
				claimsDropped: 0,
			}),
		);
		const summed: Record<string, number> = {};
		for (const part of parts) {
			for (const [name, by] of Object.entries(part.counters)) summed[name] = (summed[name] ?? 0) + by;
		}
		expect(summed).toEqual(foldAll(d).counters);
	});

	it("puts durations in the first bucket whose bound they do not exceed", () => {
		expect(bucketIndex(0)).toBe(0);
		expect(bucketIndex(5)).toBe(0);
		expect(bucketIndex(5.1)).toBe(1);
		expect(bucketIndex(60_000)).toBe(DURATION_BUCKETS_MS.length - 1);
		expect(bucketIndex(60_001)).toBe(DURATION_BUCKETS_MS.length);
		const at = (ms: unknown): TransitionRecord => ({
			seq: 1,
			stepIdx: 0,
			stepUuid: "s",
			stepName: "work",
			fromState: "in_progress",
			toState: "complete",
			attempt: 1,
			at: 0,
			metadata: { execution_time_ms: ms },
		});
		const delta = metricsDelta({
			transitions: [at(3), at(700), at(-1), at("slow")],
			firstPush: false,
			resultsDropped: 0,
			claimsDropped: 0,
		});
		// Two observations; a negative or non-numeric duration is not one (but the success still counts).
		expect(delta.durations).toEqual([
			{ step: "work", buckets: [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0], sumMs: 703, count: 2 },
		]);
		expect(delta.counters.steps_succeeded).toBe(4);
	});

	it("knows an empty delta", () => {
		expect(
			isEmptyDelta(metricsDelta({ transitions: [], firstPush: false, resultsDropped: 0, claimsDropped: 0 })),
		).toBe(true);
	});
});
