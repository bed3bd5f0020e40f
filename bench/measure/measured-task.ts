// One tasker-edge task run end to end, then its engine counters and the consumer invocations it caused: the
// sample every tasker-edge measurement records (times for the latency figures, counters for the cost figures).

import type { TaskRequestBody } from "../../scripts/lib/seed-order";
import type { TaskStats } from "../../src/core/task-records";
import type { BenchClient, TaskRun } from "../lib/bench-client";

export interface TaskSample extends TaskRun {
	stats: TaskStats;
	/** Consumer invocations that started while this task ran; null when other tasks shared the queue. */
	consumerInvocations: number | null;
}

/** Runs tasks one at a time: read the consumer's count before and after, nothing else uses the queue meanwhile. */
export async function measuredTask(
	client: BenchClient,
	request: TaskRequestBody,
	timeoutMs: number,
): Promise<TaskSample> {
	const before = await client.consumerCounts();
	const run = await client.runTask(request, timeoutMs);
	const after = await client.consumerCounts();
	return {
		...run,
		stats: await client.taskStats(run.id),
		consumerInvocations: after.invocations - before.invocations,
	};
}
