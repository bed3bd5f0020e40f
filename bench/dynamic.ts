// `npm run bench:dynamic`: dynamic workflows beside Cloudflare Workflows doing the same in code, on the bench's own
// `wrangler dev`. A decision workflow (approval_routing, amount 10,000: five steps, two of them chosen) against the
// same shape as a static template (the decision's overhead) and against Workflows; a 1,000-worker batch against
// the static 1,000-wide fan-out and against Workflows; and the rows written per created step.
// Prints a Markdown table; BENCHMARKS.md's "Dynamic workflows" section is written from it by hand.
import { BenchClient, benchTaskRequest } from "./lib/bench-client";
import { withBenchServer } from "./lib/bench-server";
import { summarize } from "./lib/stats";
import { measuredTask, type TaskSample } from "./measure/measured-task";
import { prepareWorker } from "./prepare/prepare-worker";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const WARMUP = 1;
let runs = 0;

const approval = (): Parameters<typeof measuredTask>[1] => ({
	name: "approval_routing",
	namespace: "conditional_approval",
	context: { amount: 10_000, requester: "bench", purpose: `run ${++runs}` },
	initiator: "bench",
	source_system: "bench",
	reason: "dynamic bench",
});
const batch = (): Parameters<typeof measuredTask>[1] => ({
	name: "csv_product_inventory_analyzer",
	namespace: "csv_processing",
	context: { row_count: 1000, batch_size: 1, run: ++runs },
	initiator: "bench",
	source_system: "bench",
	reason: "dynamic bench",
});

const ms = (values: number[]) => {
	const s = summarize(values);
	return `${s.median.toFixed(0)} ms (p10 ${s.p10.toFixed(0)}, p90 ${s.p90.toFixed(0)})`;
};
const median = (values: number[]) => summarize(values).median;
const perStep = (samples: TaskSample[], key: "rowsWritten" | "rowsRead" | "requests") =>
	median(samples.map((s) => s.stats[key] / s.steps));

async function main(): Promise<void> {
	await prepareWorker();
	const result = await withBenchServer(async (server) => {
		const client = new BenchClient(server.url);
		const r = {
			decision: [] as TaskSample[],
			staticShape: [] as TaskSample[],
			decisionWf: [] as number[],
			batch: [] as TaskSample[],
			fanOut: [] as TaskSample[],
			batchWf: [] as number[],
		};
		for (let round = 0; round < ROUNDS + WARMUP; round++) {
			const keep = round >= WARMUP;
			const decision = await measuredTask(client, approval(), 60_000);
			const staticShape = await measuredTask(client, benchTaskRequest("approval_static", ++runs), 60_000);
			const decisionWf = await client.runWorkflow("code:approval_routing", 60_000);
			const batchRun = await measuredTask(client, batch(), 300_000);
			const fanOut = await measuredTask(client, benchTaskRequest("fan_out_1000", ++runs), 300_000);
			const batchWf = await client.runWorkflow("code:batch_1000", 300_000);
			process.stderr.write(
				`round ${round + 1}: decision ${decision.e2eMs.toFixed(0)} ms, static ${staticShape.e2eMs.toFixed(0)} ms, ` +
					`workflow ${decisionWf.e2eMs.toFixed(0)} ms; batch ${batchRun.e2eMs.toFixed(0)} ms, fan-out ${fanOut.e2eMs.toFixed(0)} ms, ` +
					`workflow ${batchWf.e2eMs.toFixed(0)} ms${keep ? "" : " (warm-up)"}\n`,
			);
			if (!keep) continue;
			r.decision.push(decision);
			r.staticShape.push(staticShape);
			r.decisionWf.push(decisionWf.e2eMs);
			r.batch.push(batchRun);
			r.fanOut.push(fanOut);
			r.batchWf.push(batchWf.e2eMs);
		}
		return r;
	});
	const e2e = (samples: TaskSample[]) => samples.map((s) => s.e2eMs);
	const overhead = summarize(result.decision.map((d, i) => d.e2eMs - (result.staticShape[i]?.e2eMs ?? 0)));
	const created = (samples: TaskSample[], createdSteps: number, baseline: TaskSample[]) =>
		(
			(median(samples.map((s) => s.stats.rowsWritten)) - median(baseline.map((s) => s.stats.rowsWritten))) /
			createdSteps
		).toFixed(1);
	const lines = [
		`${ROUNDS} rounds (after ${WARMUP} warm-up), medians with p10–p90, end to end as the client sees it:`,
		"",
		"| case | tasker-edge | static equivalent | Workflows in code | rows written / step | rows read / step | object requests / step |",
		"| --- | --- | --- | --- | --- | --- | --- |",
		`| decision: approval_routing, amount 10,000 (5 steps, 3 created by the decision) | ${ms(e2e(result.decision))} | ${ms(e2e(result.staticShape))} | ${ms(result.decisionWf)} | ${perStep(result.decision, "rowsWritten").toFixed(1)} (static ${perStep(result.staticShape, "rowsWritten").toFixed(1)}) | ${perStep(result.decision, "rowsRead").toFixed(1)} (static ${perStep(result.staticShape, "rowsRead").toFixed(1)}) | ${perStep(result.decision, "requests").toFixed(2)} |`,
		`| batch: 1,000 workers (1,002 steps, 1,001 created by the analyzer) | ${ms(e2e(result.batch))} | ${ms(e2e(result.fanOut))} (fan_out_1000) | ${ms(result.batchWf)} | ${perStep(result.batch, "rowsWritten").toFixed(1)} (fan-out ${perStep(result.fanOut, "rowsWritten").toFixed(1)}) | ${perStep(result.batch, "rowsRead").toFixed(1)} (fan-out ${perStep(result.fanOut, "rowsRead").toFixed(1)}) | ${perStep(result.batch, "requests").toFixed(2)} |`,
		"",
		`Overhead of the decision (approval_routing minus approval_static, per round): median ${overhead.median.toFixed(1)} ms (p10 ${overhead.p10.toFixed(1)}, p90 ${overhead.p90.toFixed(1)}).`,
		`Extra rows written per created step, against the static equivalent: decision ${created(result.decision, 3, result.staticShape)}, batch ${created(result.batch, 1001, result.fanOut)}.`,
	];
	process.stdout.write(`${lines.join("\n")}\n`);
}

await main();
