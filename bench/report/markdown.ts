// The generated part of BENCHMARKS.md: everything between the bench:begin/bench:end markers is rewritten on
// every run; the hand-written method and analysis around them are left as they are.
import { readFile, writeFile } from "node:fs/promises";
import { machineLine } from "../lib/machine";
import { PRICE_SOURCE, PRICES } from "../lib/prices";
import type { Figures } from "./figures";
import { count, dollars, ms, ratioText, seconds, spread } from "./format";
import { markdownTable } from "./markdown-table";
import type { RunInfo } from "./run-info";
import type { TargetResult } from "./targets";

export const BEGIN_MARKER = "<!-- bench:begin -->";
export const END_MARKER = "<!-- bench:end -->";

export function renderResults(
	info: RunInfo,
	f: Figures,
	targets: readonly TargetResult[],
	/** null: no chart drawn for this run (a hog run leaves the chart to the quiet one). */
	chartPath: string | null,
): string {
	const m = info.mode;
	const passed = targets.filter((t) => t.pass).length;
	const out: string[] = [
		`## Results: ${m.name} run${info.hog ? " with a CPU hog beside it" : ""} of ${info.date.slice(0, 10)}`,
		"",
		`- Machine: ${machineLine(info.machine)}.${info.otherWorkerd > 0 ? ` ${info.otherWorkerd} other workerd process(es) were running when the run started (the machine is shared).` : ""}`,
		`- Commit: ${info.revision?.commit ?? "unknown"}${info.revision?.engineDirty ? ", with uncommitted changes to the engine" : ""}.`,
		`- Mode: ${m.name}: ${m.shapeRounds} measured rounds of every reference shape after ${m.warmupRounds} warm-up round(s); ${m.scaleRounds} round(s) of the scale cases, ${m.rounds10k} of them with the 10,000-step task; ${m.loadTasks} concurrent orders${m.loadRounds && m.loadRounds > 1 ? ` in ${m.loadRounds} rounds` : ""}.${observabilityNote(info.localObservability)}`,
		`- Wall time of the whole suite: ${seconds(info.wallMs)} (preparing templates and registries ${seconds(info.prepareMs)}, starting wrangler dev ${seconds(info.serverStartMs)}).`,
		"- Every time is a median with its p10–p90 across runs, from just before the create POST until the client sees the task finished. Ratios are medians over medians of series interleaved in this run, with the p10–p90 of the per-round ratios.",
		"",
		...(chartPath === null
			? []
			: [
					`![Latency by shape, tasker-edge and Workflows; time per step against task size](${chartPath})`,
					"",
				]),
		`### Targets (issues 3 and 15): ${passed} of ${targets.length} met`,
		"",
		markdownTable(
			["target", "this run", "verdict"],
			targets.map((t) => [t.target, t.figure, t.pass ? "PASS" : "**MISS**"]),
		),
		"",
		"### Reference shapes: tasker-edge and Cloudflare Workflows",
		"",
		markdownTable(
			[
				"shape",
				"steps",
				"tasker-edge",
				"Workflows",
				"tasker-edge / Workflows",
				"floor (hops = depth)",
				"tasker-edge / floor",
				"tasker-edge after the POST",
				"Workflows after the POST",
				"tasker-edge server time",
			],
			f.shapes.map((s) => [
				s.label,
				String(s.steps),
				spread(s.ours.e2e),
				spread(s.workflows.e2e),
				ratioText(s.ratio),
				s.floor ? `${spread(s.floor)} (${s.depth})` : "not run",
				s.floorRatio ? ratioText(s.floorRatio) : "not run",
				spread(s.ours.afterPost),
				spread(s.workflows.afterPost),
				spread(s.oursServer),
			]),
			["left", "right", "right", "right", "right", "right", "right", "right", "right", "right"],
		),
		"",
		"### The platform floor and tasker-edge's time per sequential step",
		"",
		markdownTable(
			["floor run", "per hop, as the client sees it", "per hop, in the object"],
			f.floor.map((fl) => [
				`${fl.hops} hops, ${fl.mode === "alarm" ? "through an alarm" : "sent from the RPC (no alarm)"}`,
				spread(fl.perHopClient),
				spread(fl.perHopInObject),
			]),
			["left", "right", "right"],
		),
		"",
		markdownTable(
			[
				"tasker-edge",
				"per sequential step",
				"floor hop (alarm)",
				"ratio (the overhead)",
				"ratio to the floor without alarm",
			],
			f.overhead.map((o) => [
				o.label,
				spread(o.perStep),
				spread(o.floorPerHop),
				ratioText(o.ratio),
				ratioText(o.ratioDirect),
			]),
			["left", "right", "right", "right", "right"],
		),
		"",
		"### Scale",
		"",
		markdownTable(
			[
				"task",
				"steps",
				"runs",
				"total",
				"per step",
				"create POST",
				"server time",
				"Workflows",
				"tasker-edge / Workflows",
			],
			[f.scale.grid100, f.scale.chain, f.scale.fanOut, f.scale.grid10k].map((s) => [
				s.label,
				count(s.steps),
				String(s.runs),
				spread(s.total.e2e),
				spread(s.perStep),
				spread(s.total.post),
				spread(s.server),
				s.workflows ? spread(s.workflows.e2e) : "not run",
				ratioText(s.ratio),
			]),
			["left", "right", "right", "right", "right", "right", "right", "right", "right"],
		),
		"",
		`Flatness (time per step at 10,000 steps / at 100): ${ratioText(f.flatness)}.`,
		"",
		"### Load",
		"",
		`${f.load.tasks} at once on each system, one after the other in the same run: tasker-edge's seed orders (real handlers), the floor (${f.load.sides[1] ? "one bare hop per step" : "not run"}) and Workflows (the order's DAG with no-op steps).${roundsNote(f.load.rounds)}`,
		"",
		markdownTable(
			["system", "tasks", "in flight", "wall time", "tasks/s", "steps/s", "p50", "p95", "create POST p50"],
			f.load.sides.map((side) => [
				side.label,
				f.load.rounds > 1 ? `${f.load.tasks} × ${f.load.rounds}` : String(f.load.tasks),
				String(f.load.concurrency),
				seconds(side.wallMs),
				count(side.tasksPerSecond, 1),
				count(side.stepsPerSecond, 1),
				ms(side.e2e.median),
				ms(side.e2e.p95),
				ms(side.post.median),
			]),
			["left", "right", "right", "right", "right", "right", "right", "right", "right"],
		),
		"",
		...(f.load.oursOverFloorByRound.length > 1
			? [
					`tasker-edge's throughput over the floor's, round by round: ${f.load.oursOverFloorByRound.map((r) => `${count(r, 2)}×`).join(", ")}.`,
					"",
				]
			: []),
		f.load.messagesPerInvocation === null
			? "Messages per consumer invocation: not counted in this run."
			: `Messages per consumer invocation over tasker-edge's load: ${count(f.load.messagesPerInvocation, 1)} (the queue's max_batch_size is 10).`,
		"",
		"### Cost per step",
		"",
		markdownTable(
			[
				"task",
				"tasks",
				"DO requests",
				"rows read",
				"rows written",
				"queue messages",
				"consumer invocations",
				"$ per M steps",
			],
			f.cost.map((c) => [
				c.label,
				count(c.tasks),
				count(c.doRequests),
				count(c.rowsRead, 1),
				count(c.rowsWritten, 1),
				count(c.messages),
				c.consumerInvocations === null ? "n/a" : count(c.consumerInvocations),
				dollars(c.dollars.total),
			]),
			["left", "right", "right", "right", "right", "right", "right", "right"],
		),
		"",
		`Per completed step, from each task's own counters (\`getStats()\`); consumer invocations counted by the bench worker. Dollars: DO requests × $${PRICES.doRequestPerMillion}/M + rows read × $${PRICES.rowReadPerMillion}/M + rows written × $${PRICES.rowWrittenPerMillion.toFixed(2)}/M + queue messages × ${PRICES.queueOperationsPerMessage} operations × $${PRICES.queueOperationPerMillion}/M + consumer invocations × $${PRICES.workerRequestPerMillion}/M (Workers requests). Not counted: the fleet-wide views in D1 (each task's index, metrics and analytics rows) and the fleet writers' requests that carry them (one or two per task, shared by every step). Beside it, AWS Step Functions Standard: at least $${PRICES.stepFunctionsTransitionPerMillion.toFixed(2)} per million steps (one state transition each). Prices: ${PRICE_SOURCE}.`,
	];
	return out.join("\n");
}

/** Replaces what is between the markers; a file without them keeps its text and gets the results appended. */
export async function writeMarkdown(file: string, results: string): Promise<void> {
	const block = `${BEGIN_MARKER}\n\n${results}\n\n${END_MARKER}`;
	const existing = await readFile(file, "utf8").catch(() => null);
	if (existing === null) {
		await writeFile(file, `# Benchmarks\n\n${block}\n`);
		return;
	}
	const begin = existing.indexOf(BEGIN_MARKER);
	const end = existing.indexOf(END_MARKER);
	if (begin === -1 || end < begin) {
		await writeFile(file, `${existing.trimEnd()}\n\n${block}\n`);
		return;
	}
	await writeFile(file, existing.slice(0, begin) + block + existing.slice(end + END_MARKER.length));
}

/** Older results files do not say, and say nothing here. */
function observabilityNote(on: boolean | undefined): string {
	if (on === undefined) return "";
	return on
		? " wrangler dev's local observability on (wrangler's default)."
		: " wrangler dev's local observability off (see How it is measured).";
}

function roundsNote(rounds: number): string {
	if (rounds <= 1) return "";
	return ` ${rounds} rounds, the three systems' order rotated each round; throughput is every round's tasks over the summed wall time, p50 and p95 over every run.`;
}
