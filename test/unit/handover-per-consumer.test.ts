// Handler workers per namespace: a step is handed over only to a reporter that can run it (it names
// its handlers); the others go to the queue of their namespace, where the right consumer takes them.
import { describe, expect, it } from "vitest";
import { splitForHandOver } from "../../src/core/hand-over-rule";
import type { StepRecord } from "../../src/core/task-records";
import { MAX_STEPS_HANDED_OVER } from "../../src/limits";
import { EngineDriver, success } from "../support/engine-driver";
import { dagTemplate } from "../support/template-builders";

const step = (callable: string) => ({ callable }) as StepRecord;
const callables = (steps: StepRecord[]) => steps.map((s) => s.callable);

describe("splitForHandOver (the pure rule)", () => {
	it("without takeNext, everything goes to the queue", () => {
		const split = splitForHandOver([step("A"), step("B")], {
			takeNext: false,
			handlers: new Set(["A", "B"]),
		});
		expect({ handOver: callables(split.handOver), enqueue: callables(split.enqueue) }).toEqual({
			handOver: [],
			enqueue: ["A", "B"],
		});
	});

	it("a reporter that names no handlers takes any of a few (a caller of before this rule)", () => {
		const split = splitForHandOver([step("A"), step("B")], { takeNext: true });
		expect(callables(split.handOver)).toEqual(["A", "B"]);
		expect(split.enqueue).toEqual([]);
	});

	it("a reporter is handed only the steps whose handler it has; the rest go to the queue", () => {
		const split = splitForHandOver([step("A"), step("Other"), step("B")], {
			takeNext: true,
			handlers: new Set(["A", "B"]),
		});
		expect({ handOver: callables(split.handOver), enqueue: callables(split.enqueue) }).toEqual({
			handOver: ["A", "B"],
			enqueue: ["Other"],
		});
	});

	it("a wide fan-out goes to the queue even when the reporter could run it all", () => {
		const ready = Array.from({ length: MAX_STEPS_HANDED_OVER + 1 }, () => step("A"));
		const split = splitForHandOver(ready, { takeNext: true, handlers: new Set(["A"]) });
		expect(split.handOver).toEqual([]);
		expect(split.enqueue).toHaveLength(MAX_STEPS_HANDED_OVER + 1);
	});
});

describe("recordResult with the reporter's handlers", () => {
	it("hands over what the reporter can run and sends the rest, in the same transaction", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: ["a"], c: ["a"] }));
		const [a] = d.alarm();
		d.claim(a as never);
		// This reporter has a's and b's handlers, not c's.
		const reply = d.report(a as never, success(1), true, new Set(["Handler_a", "Handler_b"]));
		if (reply.kind !== "applied") throw new Error("dropped");
		expect(reply.next.map((n) => n.step_name)).toEqual(["b"]);
		expect(reply.effects.dispatches).toMatchObject([{ step_name: "c", namespace: "testing", attempt: 1 }]);
		expect([d.step("b").state, d.step("c").state]).toEqual(["in_progress", "enqueued"]);
	});

	it("a reporter with none of the successors' handlers is handed nothing: the queue takes them all", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: ["a"] }));
		const [a] = d.alarm();
		d.claim(a as never);
		const reply = d.report(a as never, success(1), true, new Set(["SomeoneElsesHandler"]));
		if (reply.kind !== "applied") throw new Error("dropped");
		expect(reply.next).toEqual([]);
		expect(reply.effects.dispatches).toMatchObject([{ step_name: "b" }]);
		expect(d.task.stats.messagesSent).toBe(2);
	});
});
