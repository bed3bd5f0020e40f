// `npm run bench` (full, under 15 minutes) and `npm run bench:quick` (under 2): prepares the bench templates and
// registries, starts its own wrangler dev (bench/wrangler.bench.toml), measures, stops it, and writes
// BENCHMARKS.md (between its markers), bench/results.svg and the raw JSON in bench/out/.
// With --hog, a CPU hog process spins beside the whole run (the machine busy, as the "still so" asks): its
// results go to bench/out/ only (JSON and Markdown), and BENCHMARKS.md and the chart are left as they were.
// Usage: tsx bench/run.ts [--quick] [--hog]
import { spawn } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { BenchClient } from "./lib/bench-client";
import { localObservabilityOn, withBenchServer } from "./lib/bench-server";
import { countWorkerdProcesses, describeMachine, describeRevision, machineLine } from "./lib/machine";
import { FULL, QUICK } from "./lib/modes";
import { measureLoad } from "./measure/load";
import { measureScale } from "./measure/scale";
import { measureShapes } from "./measure/shapes";
import { prepareWorker } from "./prepare/prepare-worker";
import { computeFigures } from "./report/figures";
import { seconds } from "./report/format";
import type { RunInfo } from "./report/run-info";
import { evaluateTargets } from "./report/targets";
import { writeOutputs } from "./report/write-outputs";

const USAGE = "usage: tsx bench/run.ts [--quick] [--hog]";

/** A child process that spins one core until stopped (by its own pid, when the run ends). */
function startHog(): { pid: number | undefined; stop(): void } {
	const child = spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" });
	const stop = () => {
		if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
	};
	process.once("exit", stop);
	return { pid: child.pid, stop };
}

async function main(): Promise<number> {
	let quick: boolean;
	let hog: boolean;
	try {
		const { values } = parseArgs({
			options: { quick: { type: "boolean", default: false }, hog: { type: "boolean", default: false } },
			strict: true,
		});
		quick = values.quick ?? false;
		hog = values.hog ?? false;
	} catch (error) {
		console.error(`${(error as Error).message}\n${USAGE}`);
		return 2;
	}
	const mode = quick ? QUICK : FULL;
	const wallStart = performance.now();
	const date = new Date().toISOString();
	const machine = await describeMachine();
	const otherWorkerd = await countWorkerdProcesses();
	const revision = describeRevision();
	const log = (line: string) => console.log(line);
	log(`tasker-edge benchmarks, ${mode.name} mode, ${date}`);
	log(`machine: ${machineLine(machine)}`);
	log(`commit: ${revision.commit}${revision.engineDirty ? " with uncommitted engine changes" : ""}`);
	if (otherWorkerd > 0)
		log(`note: ${otherWorkerd} other workerd process(es) running: figures will be noisier`);

	const hogProcess = hog ? startHog() : null;
	if (hogProcess) log(`CPU hog beside the run: pid ${hogProcess.pid}`);
	try {
		return await measureAndReport(mode, { wallStart, date, machine, otherWorkerd, revision, hog }, log);
	} finally {
		hogProcess?.stop();
	}
}

async function measureAndReport(
	mode: typeof FULL,
	run: Omit<RunInfo, "mode" | "wallMs" | "prepareMs" | "serverStartMs"> & { wallStart: number },
	log: (line: string) => void,
): Promise<number> {
	const { wallStart, date, machine, otherWorkerd, revision, hog } = run;
	const prepared = await prepareWorker();
	log(`prepared ${prepared.templates} templates and 3 registries in ${seconds(prepared.millis)}`);

	const measured = await withBenchServer(async (server, startMs) => {
		log(`wrangler dev (pid ${server.pid}) at ${server.url}, up in ${seconds(startMs)}`);
		const client = new BenchClient(server.url);
		log("reference shapes, tasker-edge and Workflows, with the 4-hop floor:");
		const shapes = await measureShapes(client, mode, log);
		log("scale:");
		const scale = await measureScale(client, mode, log, 1_000_000);
		log(`load: ${mode.loadTasks} seed orders at once, ${mode.loadRounds} round(s) of the three systems`);
		const load = await measureLoad(client, mode.loadTasks, log, mode.loadRounds);
		return { shapes, scale, load, serverStartMs: startMs };
	});

	const figures = computeFigures(measured.shapes, measured.scale, measured.load);
	const completed10k = measured.scale.attempts10k - measured.scale.failures10k.length;
	const targets = evaluateTargets(figures, completed10k, measured.scale.attempts10k);
	const info: RunInfo = {
		mode,
		date,
		machine,
		wallMs: performance.now() - wallStart,
		prepareMs: prepared.millis,
		serverStartMs: measured.serverStartMs,
		revision,
		otherWorkerd,
		hog,
		localObservability: localObservabilityOn(),
	};
	const outputs = await writeOutputs(info, figures, targets, measured);
	log("");
	log(outputs.results);
	log("");
	for (const file of outputs.written) log(`written: ${path.relative(process.cwd(), file)}`);
	for (const failure of measured.scale.failures10k) log(`10,000-step task failed: ${failure}`);
	log(`targets: ${targets.filter((t) => t.pass).length} of ${targets.length} met`);
	log(`wall time (${mode.name}): ${seconds(performance.now() - wallStart)}`);
	return 0;
}

try {
	process.exitCode = await main();
} catch (error) {
	console.error(`benchmark aborted: ${(error as Error).stack ?? error}`);
	process.exitCode = 1;
}
