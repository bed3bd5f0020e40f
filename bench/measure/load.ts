// Load: N seed orders submitted at once (all N in flight: Node's fetch opens as many connections as asked),
// each awaited with wait_seconds; then every one is checked (charged 109.97) and its counters read. Beside it,
// in the same run and with the same N in flight: N floor runs of one bare hop per step (the platform's own
// cost of that many queue deliveries, no orchestration) and N Workflows instances of the order's DAG. Later
// rounds run the three again, the order rotated each round, so that no system always follows the same one.

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
	/** Rounds after the first (absent in runs saved before there were any). */
	laterRounds?: LoadRound[];
}

/** One more round of the three systems, run in a rotated order. */
export interface LoadRound {
	ours: LoadSide;
	floor: LoadSide;
	workflows: LoadSide;
}

type System = keyof LoadRound;

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
	rounds = 1,
): Promise<LoadResult> {
	const run: Record<System, () => Promise<LoadSide>> = {
		ours: () => ordersAtOnce(client, tasks, log),
		floor: async () => {
			const side = await allAtOnce(tasks, () =>
				client.runFloor(SEED_ORDER_STEPS.length, "alarm", RUN_TIMEOUT_MS),
			);
			log(`  ${tasks} floor runs of ${SEED_ORDER_STEPS.length} hops complete in ${seconds(side.wallMs)}`);
			return side;
		},
		workflows: async () => {
			const side = await allAtOnce(tasks, () => client.runWorkflow(SEED_ORDER_SHAPE, RUN_TIMEOUT_MS));
			log(`  ${tasks} Workflows instances complete in ${seconds(side.wallMs)}`);
			return side;
		},
	};
	// The first round: tasker-edge first, its consumer invocations counted and its orders' counters read.
	const before = await client.consumerCounts();
	const ours = await run.ours();
	const after = await client.consumerCounts();
	const runs = ours.runs as TaskRun[];
	const stats = await mapPool(runs, CHECK_CONCURRENCY, (r) => client.taskStats(r.id));
	const floor = await run.floor();
	const workflows = await run.workflows();
	const laterRounds: LoadRound[] = [];
	const order: System[] = ["ours", "floor", "workflows"];
	for (let round = 1; round < rounds; round++) {
		const rotated = [...order.slice(round % 3), ...order.slice(0, round % 3)];
		log(`  round ${round + 1} of ${rounds}: ${rotated.join(", ")}`);
		const sides: Partial<LoadRound> = {};
		for (const system of rotated) sides[system] = await run[system]();
		laterRounds.push(sides as LoadRound);
	}
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
		laterRounds,
	};
}

/** N seed orders at once, each checked afterwards (charged 109.97): a round of tasker-edge. */
async function ordersAtOnce(
	client: BenchClient,
	tasks: number,
	log: (line: string) => void,
): Promise<LoadSide> {
	const prefix = crypto.randomUUID().slice(0, 8);
	const side = await allAtOnce(tasks, (i) =>
		client.runTask(
			seedOrderRequest({
				source_system: "tasker-edge-bench",
				context: { ...seedOrderRequest().context, order_id: `ORD-LOAD-${prefix}-${i}` },
			}),
			RUN_TIMEOUT_MS,
		),
	);
	log(`  ${tasks} orders complete in ${seconds(side.wallMs)}; checking every charge`);
	await mapPool(side.runs as TaskRun[], CHECK_CONCURRENCY, async (run) => {
		verifySeedCharge(await client.listSteps(run.id));
	});
	return side;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
