// `npm run bench:python`: the linear shape (4 sequential no-op steps) with its handlers in a Python pull
// worker (python/, bench/python/noop_handler.py) beside the same shape run by the Worker's own queue
// consumer, one task at a time, alternating, on the bench's own wrangler dev. Writes its rows into
// BENCHMARKS.md between its own markers.
// Usage: tsx bench/python-linear.ts [--runs N]
import { type ChildProcess, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { PROJECT_ROOT } from "../scripts/lib/load-project";
import { BenchClient, benchTaskRequest } from "./lib/bench-client";
import { withBenchServer } from "./lib/bench-server";
import { countWorkerdProcesses, describeMachine, machineLine } from "./lib/machine";
import { type Summary, summarize } from "./lib/stats";
import { prepareWorker } from "./prepare/prepare-worker";
import { markdownTable } from "./report/markdown-table";

const BEGIN = "<!-- bench:python:begin -->";
const END = "<!-- bench:python:end -->";
const WARMUP = 5;
const TIMEOUT_MS = 30_000;

function startPythonWorker(url: string): { child: ChildProcess; output: () => string } {
	const child = spawn(
		"python3",
		[
			"-m",
			"tasker_core",
			"worker",
			"--url",
			url,
			"--namespace",
			"bench_pull",
			"--concurrency",
			"4",
			"bench/python/noop_handler.py",
		],
		{
			cwd: PROJECT_ROOT,
			env: { ...process.env, PYTHONPATH: path.join(PROJECT_ROOT, "python") },
			stdio: ["ignore", "ignore", "pipe"],
		},
	);
	let output = "";
	child.stderr?.on("data", (chunk: Buffer) => {
		// Keep only the tail: one line per step adds up.
		output = (output + chunk.toString()).slice(-4000);
	});
	return { child, output: () => output };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const row = (label: string, s: Summary) => [
	label,
	String(s.n),
	ms(s.median),
	`${ms(s.p10)} – ${ms(s.p90)}`,
	ms(s.median / 4),
];

async function main(): Promise<number> {
	const { values } = parseArgs({ options: { runs: { type: "string", default: "40" } }, strict: true });
	const runs = Number(values.runs);
	if (!Number.isInteger(runs) || runs < 1) {
		console.error("usage: tsx bench/python-linear.ts [--runs N]");
		return 2;
	}
	const machine = await describeMachine();
	const otherWorkerd = await countWorkerdProcesses();
	console.log(`machine: ${machineLine(machine)}; ${otherWorkerd} other workerd process(es) running`);
	await prepareWorker();
	const result = await withBenchServer(async (server) => {
		const worker = startPythonWorker(server.url);
		try {
			const client = new BenchClient(server.url);
			const typescript: number[] = [];
			const python: number[] = [];
			for (let i = 0; i < WARMUP + runs; i += 1) {
				const ts = await client.runTask(benchTaskRequest("linear", 1_000_000 + i), TIMEOUT_MS);
				const py = await client.runTask(
					{ ...benchTaskRequest("linear_pull", 2_000_000 + i), namespace: "bench_pull" },
					TIMEOUT_MS,
				);
				if (i < WARMUP) continue;
				typescript.push(ts.e2eMs);
				python.push(py.e2eMs);
			}
			return { typescript: summarize(typescript), python: summarize(python) };
		} catch (error) {
			throw new Error(`${(error as Error).message}\n--- python worker ---\n${worker.output()}`);
		} finally {
			worker.child.kill("SIGTERM");
		}
	});
	const ratio = result.python.median / result.typescript.median;
	const section = [
		BEGIN,
		"",
		"### Python pull worker: the linear shape",
		"",
		`\`npm run bench:python\` (${new Date().toISOString().slice(0, 10)}; ${machineLine(machine)}). One task at a time,`,
		"alternating, after 5 of each to warm up; end to end from `POST /v1/tasks` until `GET` answers `complete`.",
		"The Python worker (4 threads) long-polls `/v1/workers/poll` and takes each next step in the reply to its",
		"report (the hand-over), so a chain costs one HTTP round trip per step; the TypeScript handlers run in the",
		"Worker's queue consumer, which does the same over RPC.",
		"",
		markdownTable(
			["linear, 4 steps", "runs", "median", "p10 – p90", "per step (median / 4)"],
			[
				row("TypeScript, queue consumer", result.typescript),
				row("Python, pull worker over HTTP", result.python),
			],
		),
		"",
		`Python / TypeScript: ${ratio.toFixed(2)}× (medians). The machine was shared with other jobs while this ran`,
		`(${otherWorkerd} other workerd process(es) at the start), so treat the figures as indicative.`,
		"",
		END,
	].join("\n");
	const file = path.join(PROJECT_ROOT, "BENCHMARKS.md");
	const text = await readFile(file, "utf8");
	const begin = text.indexOf(BEGIN);
	const end = text.indexOf(END);
	const updated =
		begin >= 0 && end > begin
			? text.slice(0, begin) + section + text.slice(end + END.length)
			: `${text.trimEnd()}\n\n${section}\n`;
	await writeFile(file, updated);
	console.log(section);
	return 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
