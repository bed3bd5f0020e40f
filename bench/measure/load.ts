// Load: N seed orders submitted at once (all N in flight: Node's fetch opens as many connections as asked),
// each awaited with wait_seconds; then every one is checked (charged 109.97) and its counters read. Beside it,
// in the same run and with the same N in flight: N floor runs of one bare hop per step (the platform's own
// cost of that many queue deliveries, no orchestration) and N Workflows instances of the order's DAG.

import { SEED_ORDER_STEPS, seedOrderRequest, verifySeedCharge } from "../../scripts/lib/seed-order";
import type { TaskStats } from "../../src/core/task-records";
import type { BenchClient, TaskRun, Timed } from "../lib/bench-client";
import { mapPool } from "../lib/pool";

const RUN_TIMEOUT_MS = 300_000;
/** Checking and reading counters afterwards is not timed: a moderate pool is enough. */
const CHECK_CONCURRENCY = 50;
/** The seed order's DAG with no-op handlers (bench/templates/seed_order_shape.yaml), for Workflows. */
export const SEED_ORDER_SHAPE = "seed_order_shape";

/** N runs of one system, all started at once. */
export interface LoadSide {
	wallMs: number;
	runs: Timed[];
}

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
	/** Messages those invocations carried: their mean batch shows whether the one local consumer is saturated. */
	consumerMessages?: number;
	/** The same load on the floor (a hop per step) and on Workflows; absent in runs saved before they existed. */
	floor?: LoadSide;
	workflows?: LoadSide;
}

async function allAtOnce(tasks: number, run: (i: number) => Promise<Timed>): Promise<LoadSide> {
	const started = performance.now();
	const runs = await mapPool(
		Array.from({ length: tasks }, (_, i) => i),
		tasks,
		run,
	);
	return { wallMs: performance.now() - started, runs };
}

export async function measureLoad(
	client: BenchClient,
	tasks: number,
	log: (line: string) => void,
): Promise<LoadResult> {
	const before = await client.consumerCounts();
	const ours = await allAtOnce(tasks, (i) =>
		client.runTask(
			seedOrderRequest({
				source_system: "tasker-edge-bench",
				context: { ...seedOrderRequest().context, order_id: `ORD-LOAD-${i}` },
			}),
			RUN_TIMEOUT_MS,
		),
	);
	const after = await client.consumerCounts();
	const runs = ours.runs as TaskRun[];
	log(`  ${tasks} orders complete in ${(ours.wallMs / 1000).toFixed(2)} s; checking every charge`);
	const stats = await mapPool(runs, CHECK_CONCURRENCY, async (run) => {
		verifySeedCharge(await client.listSteps(run.id));
		return client.taskStats(run.id);
	});
	const floor = await allAtOnce(tasks, () =>
		client.runFloor(SEED_ORDER_STEPS.length, "alarm", RUN_TIMEOUT_MS),
	);
	log(
		`  ${tasks} floor runs of ${SEED_ORDER_STEPS.length} hops complete in ${(floor.wallMs / 1000).toFixed(2)} s`,
	);
	const workflows = await allAtOnce(tasks, () => client.runWorkflow(SEED_ORDER_SHAPE, RUN_TIMEOUT_MS));
	log(`  ${tasks} Workflows instances complete in ${(workflows.wallMs / 1000).toFixed(2)} s`);
	return {
		tasks,
		concurrency: tasks,
		stepsPerTask: SEED_ORDER_STEPS.length,
		wallMs: ours.wallMs,
		runs,
		stats,
		consumerInvocations: after.invocations - before.invocations,
		consumerMessages: after.messages - before.messages,
		floor,
		workflows,
	};
}
