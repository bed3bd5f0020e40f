// Readiness: what becomes ready when, on the shapes that matter (diamond, fan-out, fan-in, chain).
import { describe, expect, it } from "vitest";
import { EngineDriver, names, SEND_GRACE_MS } from "../support/engine-driver";
import { chainShape, dagTemplate } from "../support/template-builders";

describe("task creation", () => {
	it("saves every step and owes the roots to the queue: sent at once, by the alarm only if that send is lost", () => {
		const d = new EngineDriver();
		const created = d.createUnsent(dagTemplate({ a: [], b: [], c: ["a", "b"] }));
		expect(created.created).toBe(true);
		expect(names(created.effects.dispatches)).toEqual(["a", "b"]);
		expect(created.effects.wakeAt).toBe(d.now + SEND_GRACE_MS);
		expect(d.task.status).toBe("enqueuing_steps");
		expect(d.task.counts).toMatchObject({ pending: 1, enqueued: 2 });
		expect(d.task.pendingSends).toBe(2);
		expect(d.step("a")).toMatchObject({
			state: "enqueued",
			attempt: 1,
			dispatchDueAt: d.now + SEND_GRACE_MS,
		});
		expect(d.step("c")).toMatchObject({ state: "pending", attempt: 0, unmetParents: 2 });
	});

	it("is idempotent per task: a second create returns the existing task untouched", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }));
		const again = d.create(dagTemplate({ x: [], y: [] }));
		expect(again.created).toBe(false);
		expect(again.task.totalSteps).toBe(1);
		expect(d.store.steps.size).toBe(1);
	});

	it("logs the task's creation and its move to enqueuing_steps", () => {
		const d = new EngineDriver();
		d.createUnsent(dagTemplate({ a: [] }));
		expect(d.store.listTransitions(null).map((t) => [t.fromState, t.toState])).toEqual([
			[null, "pending"],
			["pending", "enqueuing_steps"],
		]);
	});
});

describe("dispatch", () => {
	it("every ready root goes out in one batch, then the task is steps_in_process", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: [], c: [] }));
		expect(names(d.alarm())).toEqual(["a", "b", "c"]);
		expect(d.task.status).toBe("steps_in_process");
		expect(d.task.pendingSends).toBe(0);
		expect(d.task.stats).toMatchObject({ sendBatches: 1, messagesSent: 3 });
		expect(d.alarm()).toEqual([]);
	});

	it("every message carries task, step and attempt (and the handler, for pull workers' work queues)", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }));
		const [message] = d.alarm();
		expect(message).toEqual({
			v: 1,
			task_uuid: "task-1",
			step_uuid: d.step("a").stepUuid,
			step_name: "a",
			namespace: "testing",
			attempt: 1,
			callable: "Handler_a",
		});
	});
});

describe("readiness", () => {
	it("diamond: both branches are released together by the root, the join only by the last branch", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ start: [], left: ["start"], right: ["start"], end: ["left", "right"] }));
		const [start] = d.alarm();
		const branches = d.complete(start as never);
		expect(names(branches)).toEqual(["left", "right"]);
		expect(d.complete(branches[0] as never)).toEqual([]);
		expect(d.step("end")).toMatchObject({ state: "pending", unmetParents: 1 });
		expect(names(d.complete(branches[1] as never))).toEqual(["end"]);
	});

	it("fan-out: one root releases all of its children at once", () => {
		const d = new EngineDriver();
		const shape: Record<string, string[]> = { root: [] };
		for (let i = 0; i < 20; i++) shape[`leaf${i}`] = ["root"];
		d.create(dagTemplate(shape));
		const [root] = d.alarm();
		expect(d.complete(root as never)).toHaveLength(20);
	});

	it("fan-in: the join waits for every parent, whatever order they finish in", () => {
		const d = new EngineDriver();
		const shape: Record<string, string[]> = {};
		const parents = Array.from({ length: 5 }, (_, i) => `p${i}`);
		for (const p of parents) shape[p] = [];
		shape.join = parents;
		d.create(dagTemplate(shape));
		const sent = d.alarm().reverse();
		for (const message of sent.slice(0, 4)) expect(d.complete(message)).toEqual([]);
		expect(names(d.complete(sent[4] as never))).toEqual(["join"]);
	});

	it("a chain completes step by step, and the task completes with the last step", () => {
		const d = new EngineDriver();
		d.create(dagTemplate(chainShape(5)));
		let ready = d.alarm();
		for (let i = 0; i < 5; i++) {
			expect(names(ready)).toEqual([`s${i}`]);
			ready = d.complete(ready[0] as never, i);
		}
		expect(d.task.status).toBe("complete");
		expect(d.task.completedAt).toBe(d.now);
		expect(d.task.counts.complete).toBe(5);
	});

	it("a claim hands out the task context and the results of every ancestor, not only the parents", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: ["a"], c: ["b"], other: [] }), { order_id: "o-1" });
		const sent = d.alarm();
		const a = sent.find((m) => m.step_name === "a");
		const other = sent.find((m) => m.step_name === "other");
		const [b] = d.complete(a as never, { total: 10 });
		d.complete(other as never, "unrelated");
		const [c] = d.complete(b as never, { reserved: true });
		const claim = d.claim(c as never);
		expect(claim.kind).toBe("run");
		if (claim.kind !== "run") return;
		expect(claim.input).toMatchObject({
			step_name: "c",
			context: { order_id: "o-1" },
			dependency_results: { a: { total: 10 }, b: { reserved: true } },
			attempt: 1,
			max_attempts: 3,
		});
		expect(claim.input.dependency_results).not.toHaveProperty("other");
	});
});

describe("cost per step", () => {
	it("writes the same number of rows for each added step in a chain of 10 or of 400 (no whole-task rewrite)", () => {
		const writesToRun = (n: number) => {
			const d = new EngineDriver();
			d.create(dagTemplate(chainShape(n)));
			let ready = d.alarm();
			while (ready.length > 0) ready = d.complete(ready[0] as never);
			expect(d.task.status).toBe("complete");
			return d.store.writes;
		};
		// The marginal cost of one more step, measured on a small and on a large task.
		const marginal = (a: number, b: number) => {
			const wa = writesToRun(a);
			const wb = writesToRun(b);
			return {
				task: (wb.task - wa.task) / (b - a),
				step: (wb.step - wa.step) / (b - a),
				transition: (wb.transition - wa.transition) / (b - a),
			};
		};
		const small = marginal(10, 20);
		const large = marginal(390, 400);
		expect(large).toEqual(small);
		// claim, result, release of the next step, its send confirmed: each one row.
		expect(small.step).toBe(4);
		expect(small.transition).toBe(3);
	});
});
