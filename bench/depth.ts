// `npm run bench:depth`: does a step cost more the deeper it sits? A 10-step and a 1,000-step chain, run in
// turns on the bench's own `wrangler dev`; per step, the rows the task object read (its own counters, the SQLite
// cursors' rowsRead, via getStats) and the time (server: created_at to completed_at; client: end to end).
// Every step's inputs hold all its ancestors' results (Tasker's contract), so the deep chain hands over far more
// data; what must not grow with depth is the rows read and the time per step.
// Prints a Markdown table. Usage: tsx bench/depth.ts (BENCH_ROUNDS=n to change the 5 measured rounds).
import { BenchClient, benchTaskRequest } from "./lib/bench-client";
import { withBenchServer } from "./lib/bench-server";
import { CHAIN_10, CHAIN_1000, type ScaleShape } from "./lib/scale-shapes";
import { type Summary, summarize } from "./lib/stats";
import { measuredTask, type TaskSample } from "./measure/measured-task";
import { prepareWorker } from "./prepare/prepare-worker";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/**
 * One unrecorded round first, for the isolate's compilation. The 1,000-step chain used to need four: its
 * first runs took 2.0–3.2 s and later ones 1.1–1.3 s, or 3 s again. That was not compilation but each
 * handed-over step carrying every ancestor's result (per hundred steps, 100 ms at the top of the chain
 * and 450–630 ms at its end); with a single parent's result handed over, every run takes 1.1–1.5 s.
 */
const WARMUP = 1;
const RUN_TIMEOUT_MS = 600_000;
/** The targets of issue 15: rows read within 2×, time per step within 1.2×, deep against shallow. */
const ROWS_LIMIT = 2;
const TIME_LIMIT = 1.2;

interface PerStep {
	rowsRead: Summary;
	serverMs: Summary;
	e2eMs: Summary;
}

const perStep = (samples: TaskSample[], shape: ScaleShape): PerStep => ({
	rowsRead: summarize(samples.map((s) => s.stats.rowsRead / shape.steps)),
	serverMs: summarize(samples.map((s) => s.serverMs / shape.steps)),
	e2eMs: summarize(samples.map((s) => s.e2eMs / shape.steps)),
});
const spread = (s: Summary, digits: number) =>
	`${s.median.toFixed(digits)} (p10 ${s.p10.toFixed(digits)}, p90 ${s.p90.toFixed(digits)})`;

async function main(): Promise<number> {
	const prepared = await prepareWorker();
	process.stderr.write(`prepared ${prepared.templates} templates\n`);
	const shapes = [CHAIN_10, CHAIN_1000];
	const samples = await withBenchServer(async (server) => {
		const client = new BenchClient(server.url);
		const kept = new Map<ScaleShape, TaskSample[]>(shapes.map((s) => [s, []]));
		let run = 0;
		for (let round = 0; round < ROUNDS + WARMUP; round++) {
			// Alternate who goes first, so that a drift of the machine hits both alike.
			const order = round % 2 === 0 ? shapes : [...shapes].reverse();
			const line: string[] = [];
			for (const shape of order) {
				const sample = await measuredTask(client, benchTaskRequest(shape.template, ++run), RUN_TIMEOUT_MS);
				line.push(`${shape.label} ${(sample.e2eMs / 1000).toFixed(2)} s, ${sample.stats.rowsRead} rows read`);
				if (round >= WARMUP) kept.get(shape)?.push(sample);
			}
			process.stderr.write(`round ${round + 1}${round < WARMUP ? " (warm-up)" : ""}: ${line.join("; ")}\n`);
		}
		return kept;
	});
	const shallow = perStep(samples.get(CHAIN_10) ?? [], CHAIN_10);
	const deep = perStep(samples.get(CHAIN_1000) ?? [], CHAIN_1000);
	const rowsRatio = deep.rowsRead.median / shallow.rowsRead.median;
	const serverRatio = deep.serverMs.median / shallow.serverMs.median;
	const e2eRatio = deep.e2eMs.median / shallow.e2eMs.median;
	const lines = [
		`${ROUNDS} rounds (after ${WARMUP} warm-up), medians with p10–p90, per step:`,
		"",
		"| chain | rows read / step | ms / step (server) | ms / step (end to end) |",
		"| --- | --- | --- | --- |",
		`| ${CHAIN_10.label} | ${spread(shallow.rowsRead, 1)} | ${spread(shallow.serverMs, 2)} | ${spread(shallow.e2eMs, 2)} |`,
		`| ${CHAIN_1000.label} | ${spread(deep.rowsRead, 1)} | ${spread(deep.serverMs, 2)} | ${spread(deep.e2eMs, 2)} |`,
		`| 1,000 / 10 | ${rowsRatio.toFixed(2)}× (target ≤ ${ROWS_LIMIT}×) | ${serverRatio.toFixed(2)}× (target ≤ ${TIME_LIMIT}×) | ${e2eRatio.toFixed(2)}× |`,
		"",
		`rows read per step: ${rowsRatio <= ROWS_LIMIT ? "met" : "NOT met"}; time per step (server): ${serverRatio <= TIME_LIMIT ? "met" : "NOT met"}`,
	];
	process.stdout.write(`${lines.join("\n")}\n`);
	return 0;
}

try {
	process.exitCode = await main();
} catch (error) {
	console.error(`benchmark aborted: ${(error as Error).stack ?? error}`);
	process.exitCode = 1;
}
