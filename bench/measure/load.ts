// Load: N seed orders submitted at once (all N in flight: Node's fetch opens as many connections as asked),
// each awaited with wait_seconds; then every one is checked (charged 109.97) and its counters read.

import { SEED_ORDER_STEPS, seedOrderRequest, verifySeedCharge } from "../../scripts/lib/seed-order";
import type { TaskStats } from "../../src/core/task-records";
import type { BenchClient, TaskRun } from "../lib/bench-client";
import { mapPool } from "../lib/pool";

const RUN_TIMEOUT_MS = 300_000;
/** Checking and reading counters afterwards is not timed: a moderate pool is enough. */
const CHECK_CONCURRENCY = 50;

export interface LoadResult {
	tasks: number;
	/** How many requests the client kept in flight. */
	concurrency: number;
	stepsPerTask: number;
	/** First POST sent until the last order was seen complete. */
	wallMs: number;
	runs: TaskRun[];
	stats: TaskStats[];
	/** Consumer invocations during the whole load (all orders share the queue). */
	consumerInvocations: number;
}

export async function measureLoad(
	client: BenchClient,
	tasks: number,
	log: (line: string) => void,
): Promise<LoadResult> {
	const before = await client.consumerCounts();
	const started = performance.now();
	const runs = await mapPool(
		Array.from({ length: tasks }, (_, i) => i),
		tasks,
		(i) =>
			client.runTask(
				seedOrderRequest({
					source_system: "tasker-edge-bench",
					context: { ...seedOrderRequest().context, order_id: `ORD-LOAD-${i}` },
				}),
				RUN_TIMEOUT_MS,
			),
	);
	const wallMs = performance.now() - started;
	const after = await client.consumerCounts();
	log(`  ${tasks} orders complete in ${(wallMs / 1000).toFixed(2)} s; checking every charge`);
	const stats = await mapPool(runs, CHECK_CONCURRENCY, async (run) => {
		verifySeedCharge(await client.listSteps(run.id));
		return client.taskStats(run.id);
	});
	return {
		tasks,
		concurrency: tasks,
		stepsPerTask: SEED_ORDER_STEPS.length,
		wallMs,
		runs,
		stats,
		consumerInvocations: after.invocations - before.invocations,
	};
}
