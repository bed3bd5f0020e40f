// The reporter takes the one step its result made ready (no queue hop), fenced like any dispatch,
// with its deadline as the fallback: past it the attempt times out and the retry goes by the queue.
import { describe, expect, it } from "vitest";
import { runDueWork } from "../../src/core/due-work";
import { MAX_STEPS_HANDED_OVER, STEP_DEADLINE_GRACE_MS } from "../../src/limits";
import { EngineDriver, names, SEND_GRACE_MS, success } from "../support/engine-driver";
import { chainShape, dagTemplate } from "../support/template-builders";

describe("handing the next step to the reporter", () => {
	it("a lone successor is claimed for the reporter in the same transaction, not sent", () => {
		const d = new EngineDriver();
		d.create(dagTemplate(chainShape(3)));
		const [s0] = d.alarm();
		d.claim(s0 as never);
		const reply = d.report(s0 as never, success(1), true);
		expect(reply.kind).toBe("applied");
		if (reply.kind !== "applied") return;
		expect(reply.effects.dispatches).toEqual([]);
		expect(reply.next).toMatchObject([{ step_name: "s1", attempt: 1, dependency_results: { s0: 1 } }]);
		const s1 = d.step("s1");
		expect(s1).toMatchObject({ state: "in_progress", attempt: 1 });
		// Not owed to the queue: its deadline (time budget 30 s plus the grace) is the fallback.
		expect(s1.dispatchDueAt).toBeNull();
		expect(s1.deadlineAt).toBe(d.now + 30_000 + STEP_DEADLINE_GRACE_MS);
		expect(reply.effects.wakeAt).toBe(s1.deadlineAt);
		// It never waited in a queue: pending → in_progress, one transition.
		expect(d.store.listTransitions(s1.stepUuid).map((t) => [t.fromState, t.toState, t.metadata])).toEqual([
			["pending", "in_progress", { handed_over: true }],
		]);
	});

	it("costs 2 step-row writes, 2 log rows and 1 task-row write per step of a chain", () => {
		const writesToRun = (n: number) => {
			const d = new EngineDriver();
			d.create(dagTemplate(chainShape(n)));
			const [first] = d.alarm();
			d.claim(first as never);
			let current: { step_uuid: string; attempt: number } | null = first as never;
			while (current) {
				const reply = d.report(current, success(1), true);
				current = reply.kind === "applied" ? (reply.next[0] ?? null) : null;
			}
			expect(d.task.status).toBe("complete");
			return d.store.writes;
		};
		const [a, b] = [writesToRun(20), writesToRun(120)];
		expect({
			step: (b.step - a.step) / 100,
			transition: (b.transition - a.transition) / 100,
			task: (b.task - a.task) / 100,
		}).toEqual({ step: 2, transition: 2, task: 1 });
	});

	it("a whole chain runs through hand-overs, with no message after the first", () => {
		const d = new EngineDriver();
		d.create(dagTemplate(chainShape(10)));
		const [first] = d.alarm();
		d.claim(first as never);
		let current: { step_uuid: string; attempt: number } | null = first as never;
		let ran = 0;
		while (current) {
			const reply = d.report(current, success(ran++), true);
			current = reply.kind === "applied" ? (reply.next[0] ?? null) : null;
		}
		expect(ran).toBe(10);
		expect(d.task).toMatchObject({ status: "complete", pendingSends: 0 });
		expect(d.task.stats).toMatchObject({ messagesSent: 1, resultsApplied: 10 });
		expect(
			runDueWork(
				d.store,
				d.now + 3_600_000,
				SEND_GRACE_MS,
				() => 0.5,
				() => "dlq-entry-1",
			).dispatches,
		).toEqual([]);
	});

	it("a few parallel successors are all handed over together, to run side by side", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: ["a"], c: ["a"], d: ["b", "c"] }));
		const [a] = d.alarm();
		d.claim(a as never);
		const reply = d.report(a as never, success(1), true);
		if (reply.kind !== "applied") throw new Error("dropped");
		expect(reply.effects.dispatches).toEqual([]);
		expect(reply.next.map((n) => n.step_name)).toEqual(["b", "c"]);
		expect([d.step("b").state, d.step("c").state]).toEqual(["in_progress", "in_progress"]);
		// The join waits for both; the last branch to report is handed the join.
		const [b, c] = reply.next;
		expect(d.report(b as never, success(2), true)).toMatchObject({ next: [] });
		expect(d.report(c as never, success(3), true)).toMatchObject({ next: [{ step_name: "d" }] });
	});

	it("a wide fan-out is not handed over: it goes to the queue, in one go", () => {
		const d = new EngineDriver();
		const shape: Record<string, string[]> = { root: [] };
		for (let i = 0; i < MAX_STEPS_HANDED_OVER + 1; i++) shape[`leaf${i}`] = ["root"];
		d.create(dagTemplate(shape));
		const [root] = d.alarm();
		d.claim(root as never);
		const reply = d.report(root as never, success(1), true);
		if (reply.kind !== "applied") throw new Error("dropped");
		expect(reply.next).toEqual([]);
		expect(reply.effects.dispatches).toHaveLength(MAX_STEPS_HANDED_OVER + 1);
	});

	it("a reporter that dies with its handed-over step: past its deadline the attempt times out and is retried by the queue", () => {
		const d = new EngineDriver();
		d.create(dagTemplate(chainShape(2), { backoff: "none" }));
		const [s0] = d.alarm();
		d.claim(s0 as never);
		const reply = d.report(s0 as never, success(1), true);
		const handed = reply.kind === "applied" ? reply.next[0] : null;
		if (!handed) throw new Error("no hand-over");
		// ... the consumer dies here. Nothing is due before the step's deadline:
		d.now += 30_000 + STEP_DEADLINE_GRACE_MS - 1;
		expect(d.alarm()).toEqual([]);
		expect(d.step("s1").state).toBe("in_progress");
		d.now += 1;
		const [retry] = d.alarm();
		expect(retry).toMatchObject({ step_name: "s1", attempt: 2 });
		expect(d.step("s1").lastError).toMatchObject({
			error_type: "timeout",
			error_code: "STEP_TIMEOUT",
			retryable: true,
		});
		expect(d.task.stats.timeouts).toBe(1);
		// A consumer takes the retry, runs it and reports; the dead reporter's late result is dropped.
		expect(d.claim(retry as never).kind).toBe("run");
		expect(d.report(retry as never, success("from the queue")).kind).toBe("applied");
		expect(d.report({ step_uuid: handed.step_uuid, attempt: handed.attempt }, success("late"))).toMatchObject(
			{
				kind: "dropped",
			},
		);
		expect(d.step("s1").result?.result).toBe("from the queue");
		expect(d.task.status).toBe("complete");
	});

	it("nothing is handed over without the offer", () => {
		const d = new EngineDriver();
		d.create(dagTemplate(chainShape(2)));
		const [s0] = d.alarm();
		d.claim(s0 as never);
		const reply = d.report(s0 as never, success(1));
		expect(reply.kind === "applied" && reply.next).toEqual([]);
		expect(reply.kind === "applied" && names(reply.effects.dispatches)).toEqual(["s1"]);
	});
});
