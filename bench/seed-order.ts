// `npm run bench:seed`: the seed's order end to end on wrangler dev as a client sees it (POST until a GET shows
// `complete`), next to the engine's own time, over sequential runs. Writes bench/out/seed-order.json too.
// Usage: tsx bench/seed-order.ts [--runs N] [--warmup N] [--url URL]
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_ROOT } from "../scripts/lib/load-project";
import { seedOrderRequest, verifySeedCharge } from "../scripts/lib/seed-order";
import { sleep, taskerApi, withInstance } from "../scripts/lib/tasker-http";
import { percentile } from "./lib/stats";

const USAGE = "usage: tsx bench/seed-order.ts [--runs N] [--warmup N] [--url URL]";
/** The pause between a GET's answer and the next GET: the client's figure is rounded up by up to this plus a GET. */
const POLL_GAP_MS = 2;
const RUN_TIMEOUT_MS = 30_000;
const OUT_FILE = path.join(PROJECT_ROOT, "bench", "out", "seed-order.json");

interface Run {
	taskUuid: string;
	/** Just before the POST until the answer of the first GET showing `complete`, on this client's clock. */
	clientMs: number;
	/** The task's `completed_at - created_at`, on the server's clock. */
	serverMs: number;
	polls: number;
	/** The mean round trip of this run's status GETs. */
	meanPollMs: number;
}

interface Summary {
	median: number;
	p90: number;
	min: number;
	max: number;
	/** p75 - p25. */
	iqr: number;
}

type Api = ReturnType<typeof taskerApi>;

async function main(): Promise<number> {
	let options: { runs: number; warmup: number; url: string | undefined };
	try {
		const { values } = parseArgs({
			options: { runs: { type: "string" }, warmup: { type: "string" }, url: { type: "string" } },
			strict: true,
			allowPositionals: false,
		});
		options = {
			runs: count("--runs", values.runs, 30, 1),
			warmup: count("--warmup", values.warmup, 3, 0),
			url: values.url,
		};
	} catch (error) {
		console.error(`${(error as Error).message}\n${USAGE}`);
		return 2;
	}
	const cpus = os.cpus();
	const machine = {
		cpu: cpus[0]?.model.trim() ?? "unknown CPU",
		cpus: cpus.length,
		node: process.version,
		platform: `${os.platform()} ${os.release()} ${os.arch()}`,
	};
	try {
		return await withInstance(options.url, async (instance) => {
			console.log(`seed order benchmark: ${instance.description}`);
			console.log(`machine: ${machine.cpu} x ${machine.cpus}, Node ${machine.node}, ${machine.platform}`);
			const api = taskerApi(instance.url);
			for (let i = 0; i < options.warmup; i++) await runOnce(api);
			const runs: Run[] = [];
			for (let i = 0; i < options.runs; i++) runs.push(await runOnce(api));

			const client = summarize(runs.map((run) => run.clientMs));
			const server = summarize(runs.map((run) => run.serverMs));
			const overhead = summarize(runs.map((run) => run.clientMs - run.serverMs));
			const pollRoundTrip = summarize(runs.map((run) => run.meanPollMs));
			const f = (ms: number) => ms.toFixed(1);
			console.log(
				`runs: ${runs.length} sequential, after ${options.warmup} warm-up; each verified: 4 steps complete, charged 109.97`,
			);
			console.log(
				`client, POST until a GET shows complete (ms): median ${f(client.median)}  p90 ${f(client.p90)}  ` +
					`min ${f(client.min)}  max ${f(client.max)}  IQR ${f(client.iqr)}`,
			);
			console.log(
				`server, task created_at -> completed_at (ms, whole ms): median ${f(server.median)}  p90 ${f(server.p90)}  ` +
					`min ${f(server.min)}  max ${f(server.max)}`,
			);
			console.log(
				`client - server per run (HTTP, the POST, polling) median ${f(overhead.median)} ms; ` +
					`polled with a ${POLL_GAP_MS} ms gap, one status GET takes ${f(pollRoundTrip.median)} ms (median of run means)`,
			);

			await mkdir(path.dirname(OUT_FILE), { recursive: true });
			const report = {
				benchmark: "seed-order",
				date: new Date().toISOString(),
				target: options.url ? "given url" : "wrangler dev started by the benchmark",
				machine,
				runs: runs.length,
				warmup: options.warmup,
				poll_gap_ms: POLL_GAP_MS,
				percentiles: "linear interpolation between closest ranks",
				client_ms: client,
				server_ms: server,
				client_minus_server_ms: overhead,
				poll_round_trip_ms: pollRoundTrip,
				samples: runs,
			};
			// Microseconds are as fine as performance.now() is meaningful here; more digits are only noise.
			const rounded = (_key: string, value: unknown) =>
				typeof value === "number" ? Math.round(value * 1000) / 1000 : value;
			await writeFile(OUT_FILE, `${JSON.stringify(report, rounded, "\t")}\n`);
			console.log(`written: ${path.relative(process.cwd(), OUT_FILE)}`);
			return 0;
		});
	} catch (error) {
		console.error(`benchmark aborted: ${(error as Error).message}`);
		return 1;
	}
}

/** One order, from just before its POST to the answer showing it complete; throws unless it charged 109.97. */
async function runOnce(api: Api): Promise<Run> {
	const start = performance.now();
	const created = await api.createTask(seedOrderRequest({ source_system: "tasker-edge-bench" }));
	let polls = 0;
	let pollTime = 0;
	for (;;) {
		const before = performance.now();
		const task = await api.getTask(created.task_uuid);
		const now = performance.now();
		polls++;
		pollTime += now - before;
		if (task.status === "complete") {
			const steps = await api.listSteps(created.task_uuid);
			try {
				verifySeedCharge(steps);
			} catch (error) {
				throw new Error(`task ${created.task_uuid} is not a correct run: ${(error as Error).message}`);
			}
			const serverMs = Date.parse(task.completed_at ?? "") - Date.parse(task.created_at ?? "");
			return {
				taskUuid: task.task_uuid,
				clientMs: now - start,
				serverMs,
				polls,
				meanPollMs: pollTime / polls,
			};
		}
		if (task.status === "error" || task.status === "cancelled") {
			const steps = await api.listSteps(created.task_uuid);
			const failed = steps
				.filter((step) => step.last_error !== null)
				.map((step) => `${step.name} (${step.current_state}): ${JSON.stringify(step.last_error)}`);
			throw new Error(
				`task ${created.task_uuid} ended ${task.status}; ${failed.join("; ") || "no step error"}`,
			);
		}
		if (now - start > RUN_TIMEOUT_MS) {
			throw new Error(`task ${created.task_uuid} still ${task.status} after ${RUN_TIMEOUT_MS / 1000} s`);
		}
		await sleep(POLL_GAP_MS);
	}
}

function summarize(values: number[]): Summary {
	const sorted = [...values].sort((a, b) => a - b);
	return {
		median: percentile(sorted, 0.5),
		p90: percentile(sorted, 0.9),
		min: sorted[0] ?? Number.NaN,
		max: sorted[sorted.length - 1] ?? Number.NaN,
		iqr: percentile(sorted, 0.75) - percentile(sorted, 0.25),
	};
}

function count(flag: string, text: string | undefined, fallback: number, least: number): number {
	if (text === undefined) return fallback;
	const value = Number(text);
	if (!Number.isInteger(value) || value < least)
		throw new Error(`${flag} must be an integer >= ${least}, got ${text}`);
	return value;
}

process.exitCode = await main();
