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
	it("coalesces the outcomes of one tick into one reportMany call, answering each caller", async () => {
		const { task, calls } = recordingTask();
		const reporter = new TaskReporter(task);
		const replies = await Promise.all(["a", "b", "c"].map((s) => reporter.report(s, 1, ok, true)));
		expect(calls).toEqual([["a", "b", "c"]]);
		expect(replies.map((r) => r.kind)).toEqual(["applied", "applied", "applied"]);
	});

	it("does not hold an outcome back for a later one: each tick goes out on its own", async () => {
		const { task, calls } = recordingTask();
		const reporter = new TaskReporter(task);
		await reporter.report("fast", 1, ok, true);
		await new Promise((resolve) => setTimeout(resolve, 5));
		await reporter.report("slow", 1, ok, true);
		expect(calls).toEqual([["fast"], ["slow"]]);
	});

	it("fails every caller of a call that failed, so that each can fall back", async () => {
		const { task } = recordingTask(true);
		const reporter = new TaskReporter(task);
		const settled = await Promise.allSettled(["a", "b"].map((s) => reporter.report(s, 1, ok, false)));
		expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected"]);
	});
});
