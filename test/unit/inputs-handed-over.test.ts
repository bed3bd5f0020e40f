// A step handed over to the consumer whose report made it ready carries only that step's result when
// that step is its only parent and the consumer's copy of that step's inputs is still exact (its
// inputs_token): the consumer completes the rest. A chain so hands each step one result, not every
// ancestor's, and what a handler sees is the same as a full walk of its ancestors would give.
import { describe, expect, it } from "vitest";
import { completeHandedInput, type StepRunInput } from "../../src/core/step-outcome";
import { type ConsumedMessage, consumeStepBatch } from "../../src/queue/consume-step-batch";
import { EngineDriver, success } from "../support/engine-driver";
import { RuntimeHarness } from "../support/runtime-harness";
import { chainShape, dagTemplate } from "../support/template-builders";

function claimed(d: EngineDriver, message: Parameters<EngineDriver["claim"]>[0]): StepRunInput {
	const claim = d.claim(message);
	if (claim.kind !== "run") throw new Error(`claim dropped: ${claim.reason}`);
	return claim.input;
}

function handedOver(reply: ReturnType<EngineDriver["report"]>): StepRunInput[] {
	if (reply.kind !== "applied") throw new Error(`report dropped: ${reply.reason}`);
	return reply.next;
}

describe("inputs handed over with a result", () => {
	it("a chain hands each step only its parent's result, and the completed inputs equal a full walk", () => {
		const d = new EngineDriver();
		d.create(dagTemplate(chainShape(30)));
		const [first] = d.alarm();
		let current = claimed(d, first as never);
		expect(current.inputs_token).toEqual(expect.any(String));
		for (let i = 0; i < 29; i++) {
			const [handed] = handedOver(
				d.report(
					current,
					success({ i, nested: { of: current.step_name } }),
					true,
					undefined,
					current.inputs_token,
				),
			);
			if (!handed) throw new Error(`nothing handed over after ${current.step_name}`);
			expect(handed.inherits_inputs).toBe(true);
			expect(Object.keys(handed.dependency_results)).toEqual([current.step_name]);
			const full = completeHandedInput(handed, current);
			expect(full.inherits_inputs).toBeUndefined();
			const walked = d.store.ancestorResults(d.step(full.step_name).idx);
			expect(full.dependency_results).toEqual(walked);
			expect(Object.keys(full.dependency_results)).toEqual(Object.keys(walked));
			expect(Object.keys(full.dependency_results)).toHaveLength(i + 1);
			current = full;
		}
		d.report(current, success("last"), true, undefined, current.inputs_token);
		expect(d.task.status).toBe("complete");
	});

	it("a report without a token, or with one no longer current, hands over full inputs", () => {
		const d = new EngineDriver();
		// a → b → d and a → c: c's result lands between b's claim and b's report.
		d.create(dagTemplate({ a: [], b: ["a"], c: ["a"], d: ["b"] }));
		const [a] = d.alarm();
		const aInput = claimed(d, a as never);
		const reply = d.report(aInput, success("A"), false);
		if (reply.kind !== "applied") throw new Error("a dropped");
		const [b, c] = reply.effects.dispatches;
		const bInput = claimed(d, b as never);
		const cInput = claimed(d, c as never);
		d.report(cInput, success("C"), false, undefined, cInput.inputs_token);
		const [dInput] = handedOver(d.report(bInput, success("B"), true, undefined, bInput.inputs_token));
		expect(dInput?.inherits_inputs).toBeUndefined();
		expect(dInput?.dependency_results).toEqual({ a: "A", b: "B" });

		const d2 = new EngineDriver();
		d2.create(dagTemplate(chainShape(3)));
		const [s0] = d2.alarm();
		const s0Input = claimed(d2, s0 as never);
		const [withoutToken] = handedOver(d2.report(s0Input, success(0), true));
		expect(withoutToken?.inherits_inputs).toBeUndefined();
		expect(withoutToken?.dependency_results).toEqual({ s0: 0 });
		const [wrongToken] = handedOver(
			d2.report(withoutToken as StepRunInput, success(1), true, undefined, "gone:1"),
		);
		expect(wrongToken?.inherits_inputs).toBeUndefined();
		expect(wrongToken?.dependency_results).toEqual({ s0: 0, s1: 1 });
	});

	it("a step with more than one parent gets full inputs even when the reporter's are current", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: ["a"], c: ["a"], join: ["b", "c"] }));
		const [a] = d.alarm();
		const reply = d.report(claimed(d, a as never), success("A"), false);
		if (reply.kind !== "applied") throw new Error("a dropped");
		const [b, c] = reply.effects.dispatches;
		d.report(claimed(d, c as never), success("C"), false);
		// Claimed after c's result: its token is current when it reports.
		const bInput = claimed(d, b as never);
		const [join] = handedOver(d.report(bInput, success("B"), true, undefined, bInput.inputs_token));
		expect(join?.step_name).toBe("join");
		expect(join?.inherits_inputs).toBeUndefined();
		expect(join?.dependency_results).toEqual({ a: "A", b: "B", c: "C" });
	});
});

describe("the consumer with handed-over inputs", () => {
	it("runs a 60-step chain from one message: each handler sees every ancestor's result, each reply carries one", async () => {
		const h = new RuntimeHarness();
		await h.create(chainShape(60));
		const seen: StepRunInput[] = [];
		const handedResults: number[] = [];
		const runtime = h.runtime;
		const [message] = h.sent.flat();
		const consumed: ConsumedMessage = {
			id: "m-1",
			body: message,
			attempts: 1,
			ack: () => {},
			retry: () => {
				throw new Error("not expected");
			},
		};
		await consumeStepBatch([consumed], "tasker-steps", {
			taskObject: () => ({
				claimMany: (items) => runtime.claimMany(items),
				reportMany: async (items, reporter) => {
					const replies = await runtime.reportMany(items, reporter);
					for (const reply of replies)
						if (reply.kind === "applied")
							for (const next of reply.next) handedResults.push(Object.keys(next.dependency_results).length);
					return replies;
				},
			}),
			runStep: async (input) => {
				seen.push(input);
				return success({ by: input.step_name, depth: Object.keys(input.dependency_results).length });
			},
			now: () => h.now,
			defer: (callback) => queueMicrotask(callback),
			chainBudget: { steps: 1_000, milliseconds: 60_000 },
		});
		expect(h.runtime.store.loadTask()?.status).toBe("complete");
		expect(seen).toHaveLength(60);
		seen.forEach((input, depth) => {
			expect(input.inputs_token).toBeUndefined();
			expect(input.inherits_inputs).toBeUndefined();
			expect(input.dependency_results).toEqual(h.runtime.store.ancestorResults(h.step(input.step_name).idx));
			expect(Object.keys(input.dependency_results)).toHaveLength(depth);
		});
		expect(handedResults).toEqual(Array.from({ length: 59 }, () => 1));
	});
});
