// `npm run bench:stream`: does watching a task slow it? The reference's linear shape (4 sequential no-op
// steps) after a 1 s pause (bench/templates/linear_watched.yaml), run back to back, alternating between no
// subscriber and 10 subscribers on its live stream (WebSockets opened as soon as the create answers, all
// connected before the pause ends, each taking the full view: snapshot, then every update). Timed: the
// four linear steps, from the pause's completion to the last step's (server clock, the transition log).
// Its own wrangler dev (the bench config), like `npm run bench`.
// Usage: tsx bench/stream-subscribers.ts [--runs N]
import { parseArgs } from "node:util";
import { getJson, postJson } from "../scripts/lib/tasker-http";
import type { StepView, TaskView } from "../src/core/task-views";
import { benchTaskRequest } from "./lib/bench-client";
import { withBenchServer } from "./lib/bench-server";
import { countWorkerdProcesses, describeMachine, machineLine } from "./lib/machine";
import { summarize } from "./lib/stats";
import { prepareWorker } from "./prepare/prepare-worker";

const SUBSCRIBERS = 10;

async function runLinear(baseUrl: string, run: number, subscribers: number) {
	const start = performance.now();
	const created = await postJson<TaskView>(`${baseUrl}/v1/tasks`, benchTaskRequest("linear_watched", run));
	const wsUrl = `${baseUrl.replace(/^http/, "ws")}/v1/tasks/${created.task_uuid}/stream`;
	let messages = 0;
	const sockets = Array.from({ length: subscribers }, () => {
		const socket = new WebSocket(wsUrl);
		socket.addEventListener("message", () => {
			messages += 1;
		});
		return socket;
	});
	let task = created;
	while (!["complete", "error", "cancelled"].includes(task.status)) {
		task = await getJson<TaskView>(`${baseUrl}/v1/tasks/${created.task_uuid}?wait_seconds=30`);
	}
	const e2eMs = performance.now() - start;
	// Let the last updates arrive before counting them and closing.
	if (subscribers > 0) await new Promise((resolve) => setTimeout(resolve, 50));
	for (const socket of sockets) socket.close(1000, "done");
	if (task.status !== "complete") throw new Error(`task ${task.task_uuid} ended ${task.status}`);
	const steps = await getJson<StepView[]>(`${baseUrl}/v1/tasks/${created.task_uuid}/workflow_steps`);
	const doneAt = (name: string) => Date.parse(steps.find((s) => s.name === name)?.completed_at ?? "");
	return {
		serverMs: doneAt("linear_step_4") - doneAt("pause"),
		e2eMs,
		messages,
	};
}

async function main(): Promise<void> {
	const { values } = parseArgs({ options: { runs: { type: "string", default: "40" } }, strict: true });
	const runs = Number(values.runs);
	console.log(`machine: ${machineLine(await describeMachine())}`);
	const others = await countWorkerdProcesses();
	if (others > 0) console.log(`note: ${others} other workerd process(es) running: figures will be noisier`);
	await prepareWorker();
	await withBenchServer(async (server) => {
		// Warm-up: first isolate start, schema creation.
		for (let i = 0; i < 3; i++) await runLinear(server.url, -1 - i, i % 2 === 0 ? 0 : SUBSCRIBERS);
		const none: Array<Awaited<ReturnType<typeof runLinear>>> = [];
		const watched: Array<Awaited<ReturnType<typeof runLinear>>> = [];
		for (let i = 0; i < runs; i++) {
			none.push(await runLinear(server.url, 2 * i, 0));
			watched.push(await runLinear(server.url, 2 * i + 1, SUBSCRIBERS));
		}
		const row = (label: string, sample: typeof none) => {
			const server = summarize(sample.map((r) => r.serverMs));
			const e2e = summarize(sample.map((r) => r.e2eMs));
			const messages = summarize(sample.map((r) => r.messages));
			return `| ${label} | ${sample.length} | ${server.median.toFixed(0)} (p90 ${server.p90.toFixed(0)}) | ${e2e.median.toFixed(1)} (p90 ${e2e.p90.toFixed(1)}) | ${messages.median.toFixed(0)} |`;
		};
		console.log(
			"| linear (4 steps, after a 1 s pause) | runs | the 4 steps, ms, median (p90) | client e2e ms incl. pause, median (p90) | stream messages received per task |",
		);
		console.log("|---|---|---|---|---|");
		console.log(row("no subscriber", none));
		console.log(row(`${SUBSCRIBERS} subscribers`, watched));
	});
}

await main();
