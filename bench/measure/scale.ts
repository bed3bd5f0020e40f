// The scale cases: a 1,000-wide fan-out (also on Workflows), a 200-step chain beside a 200-hop floor run, the
// 100-step grid and the 10,000-step grid; interleaved round by round like the shapes.
import type { BenchClient, FloorTimed, Timed } from "../lib/bench-client";
import { benchTaskRequest } from "../lib/bench-client";
import type { BenchMode } from "../lib/modes";
import { CHAIN_200, FAN_OUT_1000, GRID_10K, GRID_100, type ScaleShape } from "../lib/scale-shapes";
import type { FloorMode } from "../worker/floor-object";
import { measuredTask, type TaskSample } from "./measured-task";

const RUN_TIMEOUT_MS = 600_000;

export interface ScaleSeries {
	shape: ScaleShape;
	ours: TaskSample[];
	/** Only for the fan-out: the other cases are not compared with Workflows. */
	workflows: Timed[];
}

export interface ScaleResult {
	fanOut: ScaleSeries;
	chain: ScaleSeries;
	grid100: ScaleSeries;
	grid10k: ScaleSeries;
	/** A floor run of as many hops as the chain has steps. */
	longFloor: Record<FloorMode, FloorTimed[]>;
	/** The 10,000-step task is a target of its own: a failed run is recorded (and reported), not fatal. */
	attempts10k: number;
	failures10k: string[];
}

export async function measureScale(
	client: BenchClient,
	mode: BenchMode,
	log: (line: string) => void,
	firstRun: number,
): Promise<ScaleResult> {
	let run = firstRun;
	const series = (shape: ScaleShape): ScaleSeries => ({ shape, ours: [], workflows: [] });
	const result: ScaleResult = {
		fanOut: series(FAN_OUT_1000),
		chain: series(CHAIN_200),
		grid100: series(GRID_100),
		grid10k: series(GRID_10K),
		longFloor: { alarm: [], direct: [] },
		attempts10k: 0,
		failures10k: [],
	};
	const ours = async (target: ScaleSeries) => {
		const sample = await measuredTask(client, benchTaskRequest(target.shape.template, run++), RUN_TIMEOUT_MS);
		target.ours.push(sample);
		return `${target.shape.template} ${(sample.e2eMs / 1000).toFixed(2)} s`;
	};
	for (let i = 0; i < mode.scaleRounds; i++) {
		const oursFirst = i % 2 === 0;
		const done: string[] = [];
		if (oursFirst) done.push(await ours(result.fanOut));
		const wf = await client.runWorkflow(FAN_OUT_1000.template, RUN_TIMEOUT_MS);
		result.fanOut.workflows.push(wf);
		done.push(`workflows ${FAN_OUT_1000.template} ${(wf.e2eMs / 1000).toFixed(2)} s`);
		if (!oursFirst) done.push(await ours(result.fanOut));
		done.push(await ours(result.chain));
		for (const floorMode of ["alarm", "direct"] as const) {
			const floor = await client.runFloor(CHAIN_200.steps, floorMode, RUN_TIMEOUT_MS);
			result.longFloor[floorMode].push(floor);
			done.push(`floor ${floor.hops} ${floorMode} ${(floor.e2eMs / 1000).toFixed(2)} s`);
		}
		done.push(await ours(result.grid100));
		if (i < mode.rounds10k) {
			result.attempts10k++;
			try {
				done.push(await ours(result.grid10k));
			} catch (error) {
				result.failures10k.push((error as Error).message);
				done.push(`${GRID_10K.template} FAILED: ${(error as Error).message}`);
			}
		}
		log(`  round ${i + 1}/${mode.scaleRounds}: ${done.join(", ")}`);
	}
	return result;
}
