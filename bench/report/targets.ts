// Issue 3's and issue 15's targets, each judged from this run's figures: PASS or MISS with the figure, never left out.

import type { Figures } from "./figures";
import { count, ratioText, spread } from "./format";

export interface TargetResult {
	target: string;
	figure: string;
	pass: boolean;
}

const OVERHEAD_LIMIT = 1.3;
const WORKFLOWS_LIMIT = 1.2;
/** Issue 15: a small shape end to end against the floor run of its depth, same rounds. */
const FLOOR_LIMIT = 1.1;
const LINEAR_LIMIT_MS = 60;
const FLATNESS_LIMIT = 1.5;
const MAX_BATCH = 100;
/** "Constant" rows written per step: the 10,000-step task within 5% of the 100-step one. */
const ROWS_TOLERANCE = 0.05;

export function evaluateTargets(f: Figures, completed10k: number, attempted10k: number): TargetResult[] {
	const results: TargetResult[] = [];
	for (const o of f.overhead) {
		results.push({
			target: `overhead per sequential step ≤ ${OVERHEAD_LIMIT}× the floor hop (${o.label})`,
			figure: `${spread(o.perStep)} per step vs ${spread(o.floorPerHop)} per floor hop: ${ratioText(o.ratio)}`,
			pass: o.ratio.ofMedians <= OVERHEAD_LIMIT,
		});
	}
	for (const s of f.shapes) {
		results.push({
			target: `${s.label} ≤ ${WORKFLOWS_LIMIT}× Workflows`,
			figure: `${spread(s.ours.e2e)} vs ${spread(s.workflows.e2e)}: ${ratioText(s.ratio)}`,
			pass: s.ratio.ofMedians <= WORKFLOWS_LIMIT,
		});
	}
	for (const s of f.shapes) {
		if (!s.floorRatio || !s.floor) continue;
		results.push({
			target: `${s.label} ≤ ${FLOOR_LIMIT}× the floor of as many hops as it is deep (${s.depth})`,
			figure: `${spread(s.ours.e2e)} vs ${spread(s.floor)}: ${ratioText(s.floorRatio)}`,
			pass: s.floorRatio.ofMedians <= FLOOR_LIMIT,
		});
	}
	const fan = f.scale.fanOut;
	if (fan.workflows && fan.ratio) {
		results.push({
			target: `fan-out 1000 ≤ ${WORKFLOWS_LIMIT}× Workflows`,
			figure: `${spread(fan.total.e2e)} vs ${spread(fan.workflows.e2e)}: ${ratioText(fan.ratio)}`,
			pass: fan.ratio.ofMedians <= WORKFLOWS_LIMIT,
		});
	}
	const linear = f.shapes[0];
	if (linear) {
		results.push({
			target: `linear-4 median < ${LINEAR_LIMIT_MS} ms`,
			figure: `${spread(linear.ours.e2e)} end to end (${spread(linear.ours.afterPost)} after the POST)`,
			pass: linear.ours.e2e.median < LINEAR_LIMIT_MS,
		});
	}
	results.push({
		target: "the 10,000-step task completes",
		figure: `${completed10k} of ${attempted10k} run(s) complete, ${spread(f.scale.grid10k.total.e2e)}`,
		pass: attempted10k > 0 && completed10k === attempted10k,
	});
	results.push({
		target: `flatness (time per step at 10,000 / at 100) ≤ ${FLATNESS_LIMIT}`,
		figure: `${spread(f.scale.grid10k.perStep)} vs ${spread(f.scale.grid100.perStep)} per step: ${ratioText(f.flatness)}`,
		pass: f.flatness.ofMedians <= FLATNESS_LIMIT,
	});
	const batches = Math.min(...fan.stats.map((s) => s.sendBatches));
	const perBatch = Math.max(...fan.stats.map((s) => s.messagesSent / s.sendBatches));
	results.push({
		target: `fan-out 1000 dispatched in batches of ≤ ${MAX_BATCH} (sendBatches ≥ 10, messages per batch ≤ ${MAX_BATCH})`,
		figure: `sendBatches ${count(batches)} (fewest of ${fan.stats.length} run(s)), messages per batch ${count(perBatch, 1)} (most)`,
		pass: fan.stats.length > 0 && batches >= 10 && perBatch <= MAX_BATCH,
	});
	const rows = (label: string) => f.cost.find((c) => c.label === label)?.rowsWritten ?? Number.NaN;
	const small = rows(f.scale.grid100.label);
	const large = rows(f.scale.grid10k.label);
	results.push({
		target: `rows written per step constant across sizes (10,000 steps within ${ROWS_TOLERANCE * 100}% of 100)`,
		figure: `${count(small, 2)} at 100 steps, ${count(large, 2)} at 10,000 (${count(large / small, 3)}×)`,
		pass: Math.abs(large / small - 1) <= ROWS_TOLERANCE,
	});
	const [ours, floor, workflows] = f.load.sides;
	if (ours && floor) {
		results.push({
			target: "load: tasker-edge's throughput ≥ the floor's (same N at once, same run)",
			figure: `${count(ours.tasksPerSecond, 1)} tasks/s vs the floor's ${count(floor.tasksPerSecond, 1)}${workflows ? ` (Workflows ${count(workflows.tasksPerSecond, 1)})` : ""}`,
			pass: ours.tasksPerSecond >= floor.tasksPerSecond,
		});
	}
	return results;
}
