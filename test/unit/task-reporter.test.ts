// The consumer's reporter: outcomes that settle in the same tick reach the task object in one call.
import { describe, expect, it } from "vitest";
import type { StepOutcome } from "../../src/core/step-outcome";
import { TaskReporter } from "../../src/queue/task-reporter";
import type { TaskObjectApi } from "../../src/task-object-stub";

const ok: StepOutcome = { success: true, result: 1, metadata: {}, execution_time_ms: 0 };

function recordingTask(fail = false) {
	const calls: string[][] = [];
	const task = {
		reportMany: async (items: Array<{ stepUuid: string }>) => {
			calls.push(items.map((i) => i.stepUuid));
			if (fail) throw new Error("object unreachable");
			return items.map(() => ({
				kind: "applied",
				stepState: "complete",
				taskStatus: "steps_in_process",
				next: [],
			}));
		},
	} as unknown as TaskObjectApi;
	return { task, calls };
}

describe("TaskReporter", () => {
	it("names the consumer's handlers in every report, so that it is handed only steps it can run", async () => {
		const reporters: unknown[] = [];
		const task = {
			reportMany: async (items: unknown[], reporter?: unknown) => {
				reporters.push(reporter);
				return items.map(() => ({ kind: "dropped", reason: "task_finished" }));
			},
		} as unknown as TaskObjectApi;
		await new TaskReporter(task, ["PriceLinesHandler", "ApplyTaxHandler"]).report("a", 1, ok, true);
		await new TaskReporter(task).report("b", 1, ok, true);
		expect(reporters).toEqual([{ handlers: ["PriceLinesHandler", "ApplyTaxHandler"] }, undefined]);
	});

	it("coalesces the outcomes of siblings that finish together into one call, answering each", async () => {
		const { task, calls } = recordingTask();
		const reporter = new TaskReporter(task);
		for (let i = 0; i < 3; i++) reporter.begin();
		const replies = await Promise.all(["a", "b", "c"].map((s) => reporter.report(s, 1, ok, true)));
		expect(calls).toEqual([["a", "b", "c"]]);
		expect(replies.map((r) => r.kind)).toEqual(["applied", "applied", "applied"]);
	});

	it("does not hold an outcome back for a slow sibling: it goes out at the next tick", async () => {
		const { task, calls } = recordingTask();
		const reporter = new TaskReporter(task);
		reporter.begin();
		reporter.begin();
		await reporter.report("fast", 1, ok, true);
		expect(calls).toEqual([["fast"]]);
		await new Promise((resolve) => setTimeout(resolve, 5));
		await reporter.report("slow", 1, ok, true);
		expect(calls).toEqual([["fast"], ["slow"]]);
	});

	it("with no sibling still running, an outcome goes out at once, without waiting for a tick", async () => {
		const { task, calls } = recordingTask();
		const reporter = new TaskReporter(task);
		reporter.begin();
		const reply = reporter.report("chain-step", 1, ok, true);
		// Sent synchronously: the call was made before any timer could run.
		expect(calls).toEqual([["chain-step"]]);
		await reply;
	});

	it("fails every caller of a call that failed, so that each can fall back", async () => {
		const { task } = recordingTask(true);
		const reporter = new TaskReporter(task);
		reporter.begin();
		reporter.begin();
		const settled = await Promise.allSettled(["a", "b"].map((s) => reporter.report(s, 1, ok, false)));
		expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected"]);
	});
});
