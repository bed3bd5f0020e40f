// The bench worker's bindings: the real worker's (TASKS, STEP_QUEUE) plus the floor's and the Workflow's.
import type { FloorObject } from "./floor-object";

export interface BenchEnv extends Env {
	FLOOR: DurableObjectNamespace<FloorObject>;
	FLOOR_QUEUE: Queue<FloorMessage>;
	BENCH_WORKFLOW: Workflow<BenchWorkflowParams>;
}

/** One bare hop of a floor run. */
export interface FloorMessage {
	run: string;
	hop: number;
}

export interface BenchWorkflowParams {
	/** A template of the bench namespace: the Workflow runs its DAG. */
	template: string;
}

/** The bench-only queue (bench/wrangler.bench.toml); any other queue is the engine's. */
export const FLOOR_QUEUE_NAME = "bench-floor";
