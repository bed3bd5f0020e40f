// `npm run bench:stream`: does watching a task slow it? The reference's linear shape (4 sequential no-op
// steps) after a 1 s pause (bench/templates/linear_watched.yaml), run back to back in rounds of three:
// no subscriber; 10 subscribers in this process (beside the timing loop); 10 subscribers in a Node
// process of their own (bench/lib/subscriber-process.ts), so that what the object does for its
// watchers can be told apart from what 10 sockets cost the client on the same cores. The order rotates
// each round. The sockets open as soon as the create answers (all open before the pause ends), each on
// the full view: a snapshot, then every update. Timed: the four linear steps, from the pause's
// completion to the last step's (server clock, the transition log). Counted: the messages each task's
// subscribers received, and how many updates the object built while the four steps ran (told by the
// task's completed_steps each update carries, not by when it arrived). Its own wrangler dev (the bench config).
// Usage: tsx bench/stream-subscribers.ts [--runs N]
import { parseArgs } from "node:util";
import { getJson, postJson } from "../scripts/lib/tasker-http";
import type { StepView, TaskView } from "../src/core/task-views";
import { benchTaskRequest } from "./lib/bench-client";
import { withBenchServer } from "./lib/bench-server";
import { countWorkerdProcesses, describeMachine, machineLine } from "./lib/machine";
import { summarize } from "./lib/stats";
import { StreamSubscribers } from "./lib/stream-subscribers";
import { SubscriberProcess } from "./lib/subscriber-process";
import { prepareWorker } from "./prepare/prepare-worker";

const SUBSCRIBERS = 10;

/** Where the subscribers run: none, in this process (beside the timing loop), or in a process of their own. */
type Variant = "none" | "here" | "apart";
const VARIANTS: readonly Variant[] = ["none", "here", "apart"];
const LABELS: Record<Variant, string> = {
	none: "no subscriber",
	here: `${SUBSCRIBERS} subscribers, in the bench's process`,
	apart: `${SUBSCRIBERS} subscribers, in a process of their own`,
};

interface Run {
	serverMs: number;
	e2eMs: number;
	messages: number;
	/** Updates the object built while the four steps ran (after the pause completed, before the last step did). */
	updatesDuringSteps: number;
}

async function runLinear(
	baseUrl: string,
	run: number,
	variant: Variant,
	apart: SubscriberProcess,
): Promise<Run> {
	const start = performance.now();
	const created = await postJson<TaskView>(`${baseUrl}/v1/tasks`, benchTaskRequest("linear_watched", run));
	const wsUrl = `${baseUrl.replace(/^http/, "ws")}/v1/tasks/${created.task_uuid}/stream`;
	// Opened as soon as the create answers, all open well before the 1 s pause ends.
	const here = variant === "here" ? new StreamSubscribers(wsUrl, SUBSCRIBERS) : null;
	const apartId = variant === "apart" ? await apart.open(wsUrl, SUBSCRIBERS) : null;
	await here?.open();
	let task = created;
	while (!["complete", "error", "cancelled"].includes(task.status)) {
		task = await getJson<TaskView>(`${baseUrl}/v1/tasks/${created.task_uuid}?wait_seconds=30`);
	}
	const e2eMs = performance.now() - start;
	// Let the last updates arrive (the object sends once quiet for 10 ms) before counting them and closing.
	if (variant !== "none") await new Promise((resolve) => setTimeout(resolve, 150));
	const report = here?.close() ?? (apartId !== null ? await apart.close(apartId) : null);
	if (task.status !== "complete") throw new Error(`task ${task.task_uuid} ended ${task.status}`);
	const steps = await getJson<StepView[]>(`${baseUrl}/v1/tasks/${created.task_uuid}/workflow_steps`);
	const doneAt = (name: string) => Date.parse(steps.find((s) => s.name === name)?.completed_at ?? "");
	const total = steps.length;
	return {
		serverMs: doneAt("linear_step_4") - doneAt("pause"),
		e2eMs,
		messages: report ? report.snapshots + report.updates : 0,
		// Built with the pause complete (1 step) and not all of them: inside the timed stretch.
		updatesDuringSteps: report ? report.updateCompletedSteps.filter((n) => n >= 1 && n < total).length : 0,
	};
}

/** Round by round (each round ran every variant back to back): the median difference, and how often it was slower. */
function paired(watched: readonly Run[], none: readonly Run[]): string {
	const differences = watched.map((run, i) => run.serverMs - (none[i]?.serverMs ?? Number.NaN));
	const slower = differences.filter((d) => d > 0).length;
	const median = summarize(differences.filter((d) => Number.isFinite(d))).median;
	return `${median >= 0 ? "+" : ""}${median.toFixed(1)} ms, ${slower} of ${differences.length}`;
}

async function main(): Promise<void> {
	const { values } = parseArgs({ options: { runs: { type: "string", default: "40" } }, strict: true });
	const runs = Number(values.runs);
	console.log(`machine: ${machineLine(await describeMachine())}`);
	const others = await countWorkerdProcesses();
	if (others > 0) console.log(`note: ${others} other workerd process(es) running: figures will be noisier`);
	await prepareWorker();
	const apart = new SubscriberProcess();
	try {
		await withBenchServer(async (server) => {
			// Warm-up: first isolate start, schema creation, each variant once.
			for (const [i, variant] of VARIANTS.entries()) await runLinear(server.url, -1 - i, variant, apart);
			const results = new Map<Variant, Run[]>(VARIANTS.map((v) => [v, []]));
			for (let i = 0; i < runs; i++) {
				// Each round runs every variant once, in an order that rotates, so none always follows another.
				for (let k = 0; k < VARIANTS.length; k++) {
					const variant = VARIANTS[(i + k) % VARIANTS.length] as Variant;
					results.get(variant)?.push(await runLinear(server.url, VARIANTS.length * i + k, variant, apart));
				}
			}
			console.log(
				"| linear (4 steps, after a 1 s pause) | runs | the 4 steps, ms, median (p90) | client e2e ms incl. pause, median (p90) | stream messages received per task | updates built while the 4 steps ran | the 4 steps, watched − unwatched in the same round: median, rounds slower |",
			);
			console.log("|---|---|---|---|---|---|---|");
			const none = results.get("none") ?? [];
			for (const variant of VARIANTS) {
				const sample = results.get(variant) ?? [];
				const serverMs = summarize(sample.map((r) => r.serverMs));
				const e2e = summarize(sample.map((r) => r.e2eMs));
				const messages = summarize(sample.map((r) => r.messages));
				const during = sample.reduce((sum, r) => sum + r.updatesDuringSteps, 0);
				console.log(
					`| ${LABELS[variant]} | ${sample.length} | ${serverMs.median.toFixed(0)} (p90 ${serverMs.p90.toFixed(0)}) | ${e2e.median.toFixed(1)} (p90 ${e2e.p90.toFixed(1)}) | ${messages.median.toFixed(0)} | ${during} in all | ${variant === "none" ? "" : paired(sample, none)} |`,
				);
			}
		});
	} finally {
		apart.stop();
	}
}

await main();
