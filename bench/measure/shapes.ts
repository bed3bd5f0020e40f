// The reference shapes on tasker-edge, on Cloudflare Workflows and on the floor (as many bare hops as the shape is
// deep), back to back for each shape, then the 4-hop floor; interleaved round by round (who goes first rotates)
// so that the machine's drifts hit every series alike.
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
	/** Floor runs of `shape.depth` hops (alarm), one per round; absent in runs saved before they existed. */
	floor?: FloorTimed[];
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
	const round = async (index: number) => {
		const shapes: ShapeSeries[] = [];
		for (const shape of REFERENCE_SHAPES) {
			const series: ShapeSeries = { shape, ours: [], workflows: [], floor: [] };
			const runs = [
				async () =>
					series.ours.push(
						await measuredTask(client, benchTaskRequest(shape.template, run++), RUN_TIMEOUT_MS),
					),
				async () => series.workflows.push(await client.runWorkflow(shape.template, RUN_TIMEOUT_MS)),
				async () => series.floor?.push(await client.runFloor(shape.depth, "alarm", RUN_TIMEOUT_MS)),
			];
			// Rotate who goes first, round by round.
			for (let k = 0; k < runs.length; k++) await runs[(index + k) % runs.length]?.();
			shapes.push(series);
		}
		const floor = {
			alarm: [await client.runFloor(SHORT_FLOOR_HOPS, "alarm", RUN_TIMEOUT_MS)],
			direct: [await client.runFloor(SHORT_FLOOR_HOPS, "direct", RUN_TIMEOUT_MS)],
		};
		return { shapes, floor };
	};

	for (let i = 0; i < mode.warmupRounds; i++) await round(i);
	log(`  warm-up: ${mode.warmupRounds} round(s) of every shape and the floor, not recorded`);

	const result: ShapesResult = {
		shapes: REFERENCE_SHAPES.map((shape) => ({ shape, ours: [], workflows: [], floor: [] })),
		floor: { alarm: [], direct: [] },
	};
	const started = performance.now();
	for (let i = 0; i < mode.shapeRounds; i++) {
		const one = await round(i);
		one.shapes.forEach((series, k) => {
			result.shapes[k]?.ours.push(...series.ours);
			result.shapes[k]?.workflows.push(...series.workflows);
			result.shapes[k]?.floor?.push(...(series.floor ?? []));
		});
		result.floor.alarm.push(...one.floor.alarm);
		result.floor.direct.push(...one.floor.direct);
		if ((i + 1) % 10 === 0 || i + 1 === mode.shapeRounds) {
			log(`  round ${i + 1}/${mode.shapeRounds} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
		}
	}
	return result;
}
