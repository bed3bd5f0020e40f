// The reference shapes on tasker-edge and on Cloudflare Workflows, with the 4-hop platform floor, interleaved
// round by round (alternating who goes first) so that the machine's drifts hit every series alike.
import type { BenchClient, FloorTimed, Timed } from "../lib/bench-client";
import { benchTaskRequest } from "../lib/bench-client";
import type { BenchMode } from "../lib/modes";
import { REFERENCE_SHAPES, type ReferenceShape } from "../lib/reference-shapes";
import type { FloorMode } from "../worker/floor-object";
import { measuredTask, type TaskSample } from "./measured-task";

const RUN_TIMEOUT_MS = 30_000;
/** The floor run compared with linear: as many sequential hops as linear has steps. */
export const SHORT_FLOOR_HOPS = 4;

export interface ShapeSeries {
	shape: ReferenceShape;
	ours: TaskSample[];
	workflows: Timed[];
}

export interface ShapesResult {
	shapes: ShapeSeries[];
	floor: Record<FloorMode, FloorTimed[]>;
}

export async function measureShapes(
	client: BenchClient,
	mode: BenchMode,
	log: (line: string) => void,
): Promise<ShapesResult> {
	let run = 0;
	const round = async (oursFirst: boolean) => {
		const shapes: ShapeSeries[] = [];
		for (const shape of REFERENCE_SHAPES) {
			const ours = () => measuredTask(client, benchTaskRequest(shape.template, run++), RUN_TIMEOUT_MS);
			const theirs = () => client.runWorkflow(shape.template, RUN_TIMEOUT_MS);
			if (oursFirst) {
				const task = await ours();
				shapes.push({ shape, ours: [task], workflows: [await theirs()] });
			} else {
				const instance = await theirs();
				shapes.push({ shape, ours: [await ours()], workflows: [instance] });
			}
		}
		const floor = {
			alarm: [await client.runFloor(SHORT_FLOOR_HOPS, "alarm", RUN_TIMEOUT_MS)],
			direct: [await client.runFloor(SHORT_FLOOR_HOPS, "direct", RUN_TIMEOUT_MS)],
		};
		return { shapes, floor };
	};

	for (let i = 0; i < mode.warmupRounds; i++) await round(i % 2 === 0);
	log(`  warm-up: ${mode.warmupRounds} round(s) of every shape and the floor, not recorded`);

	const result: ShapesResult = {
		shapes: REFERENCE_SHAPES.map((shape) => ({ shape, ours: [], workflows: [] })),
		floor: { alarm: [], direct: [] },
	};
	const started = performance.now();
	for (let i = 0; i < mode.shapeRounds; i++) {
		const one = await round(i % 2 === 0);
		one.shapes.forEach((series, k) => {
			result.shapes[k]?.ours.push(...series.ours);
			result.shapes[k]?.workflows.push(...series.workflows);
		});
		result.floor.alarm.push(...one.floor.alarm);
		result.floor.direct.push(...one.floor.direct);
		if ((i + 1) % 10 === 0 || i + 1 === mode.shapeRounds) {
			log(`  round ${i + 1}/${mode.shapeRounds} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
		}
	}
	return result;
}
