// Turns the raw samples into the reported figures: medians with spreads, same-run ratios, costs per step.
import type { TaskStats } from "../../src/core/task-records";
import type { FloorTimed, Timed } from "../lib/bench-client";
import { PRICES } from "../lib/prices";
import { type Ratio, ratio, type Summary, summarize } from "../lib/stats";
import type { LoadResult, LoadSide } from "../measure/load";
import type { TaskSample } from "../measure/measured-task";
import type { ScaleResult, ScaleSeries } from "../measure/scale";
import type { ShapesResult } from "../measure/shapes";

export interface Latency {
	/** Just before the create POST until the client sees it finished: the headline figure. */
	e2e: Summary;
	/** From the POST's answer until finished (the reference's method; see BENCHMARKS.md for why not the headline). */
	afterPost: Summary;
	post: Summary;
}

export interface ShapeFigure {
	label: string;
	template: string;
	steps: number;
	depth: number;
	ours: Latency;
	/** Task created_at -> completed_at on the server (whole ms). */
	oursServer: Summary;
	workflows: Latency;
	/** tasker-edge / Workflows, end to end, paired by round. */
	ratio: Ratio;
	ratioAfterPost: Ratio;
	/** The floor run of as many hops as the shape is deep, from the same rounds, and tasker-edge / it; null in older runs. */
	floor: Summary | null;
	floorRatio: Ratio | null;
}

export interface FloorFigure {
	hops: number;
	mode: "alarm" | "direct";
	perHopClient: Summary;
	perHopInObject: Summary;
}

/** tasker-edge's time per sequential step next to the floor's time per hop, from runs of the same length. */
export interface OverheadFigure {
	label: string;
	steps: number;
	perStep: Summary;
	floorPerHop: Summary;
	/** Per step / per floor hop (alarm), both as the client sees them, paired by round: the overhead. */
	ratio: Ratio;
	/** Against the floor without the alarm (sent from the RPC itself). */
	ratioDirect: Ratio;
}

export interface ScaleFigure {
	label: string;
	template: string;
	steps: number;
	depth: number;
	runs: number;
	total: Latency;
	server: Summary;
	perStep: Summary;
	workflows: Latency | null;
	ratio: Ratio | null;
	stats: TaskStats[];
}

/** One system under the load: the same N started at once, in every round. */
export interface LoadSideFigure {
	label: string;
	/** Summed over the rounds. */
	wallMs: number;
	tasksPerSecond: number;
	stepsPerSecond: number;
	e2e: Summary;
	post: Summary;
}

export interface LoadFigure {
	tasks: number;
	concurrency: number;
	wallMs: number;
	tasksPerSecond: number;
	stepsPerSecond: number;
	e2e: Summary;
	post: Summary;
	/** Messages per consumer invocation over our load (the local queue's max_batch_size is 10). */
	messagesPerInvocation: number | null;
	/** tasker-edge, the floor and Workflows, in that order (only tasker-edge in runs saved before the others existed). */
	sides: LoadSideFigure[];
	/** Rounds of the three systems (1 in runs saved before there were more). */
	rounds: number;
	/** tasker-edge's throughput over the floor's, round by round (empty without a floor). */
	oursOverFloorByRound: number[];
}

export interface CostFigure {
	label: string;
	tasks: number;
	steps: number;
	/** Per completed step. */
	doRequests: number;
	rowsRead: number;
	rowsWritten: number;
	messages: number;
	sendBatches: number;
	consumerInvocations: number | null;
	/** Dollars per million steps, by item, and their sum. */
	dollars: {
		doRequests: number;
		rowsRead: number;
		rowsWritten: number;
		queue: number;
		workers: number;
		total: number;
	};
}

export interface Figures {
	shapes: ShapeFigure[];
	floor: FloorFigure[];
	overhead: OverheadFigure[];
	scale: { fanOut: ScaleFigure; chain: ScaleFigure; grid100: ScaleFigure; grid10k: ScaleFigure };
	flatness: Ratio;
	load: LoadFigure;
	cost: CostFigure[];
}

const e2e = (runs: readonly Timed[]) => runs.map((r) => r.e2eMs);
const afterPost = (runs: readonly Timed[]) => runs.map((r) => r.afterPostMs);

function latency(runs: readonly Timed[]): Latency {
	return {
		e2e: summarize(e2e(runs)),
		afterPost: summarize(afterPost(runs)),
		post: summarize(runs.map((r) => r.postMs)),
	};
}

function floorFigure(runs: readonly FloorTimed[], mode: "alarm" | "direct", hops: number): FloorFigure {
	return {
		hops,
		mode,
		perHopClient: summarize(runs.map((r) => r.e2eMs / r.hops)),
		perHopInObject: summarize(runs.map((r) => r.inObjectMs / r.hops)),
	};
}

function overhead(
	label: string,
	ours: readonly TaskSample[],
	steps: number,
	floor: ShapesResult["floor"],
): OverheadFigure {
	const perStep = ours.map((r) => r.e2eMs / steps);
	const perHop = (runs: readonly FloorTimed[]) => runs.map((r) => r.e2eMs / r.hops);
	return {
		label,
		steps,
		perStep: summarize(perStep),
		floorPerHop: summarize(perHop(floor.alarm)),
		ratio: ratio(perStep, perHop(floor.alarm), true),
		ratioDirect: ratio(perStep, perHop(floor.direct), true),
	};
}

function scaleFigure(series: ScaleSeries): ScaleFigure {
	const { shape, ours, workflows } = series;
	return {
		label: shape.label,
		template: shape.template,
		steps: shape.steps,
		depth: shape.depth,
		runs: ours.length,
		total: latency(ours),
		server: summarize(ours.map((r) => r.serverMs)),
		perStep: summarize(ours.map((r) => r.e2eMs / shape.steps)),
		workflows: workflows.length > 0 ? latency(workflows) : null,
		ratio: workflows.length > 0 ? ratio(e2e(ours), e2e(workflows), ours.length === workflows.length) : null,
		stats: ours.map((r) => r.stats),
	};
}

export function costFigure(
	label: string,
	stats: readonly TaskStats[],
	stepsPerTask: number,
	consumerInvocations: number | null,
): CostFigure {
	const steps = stats.length * stepsPerTask;
	const sum = (key: keyof TaskStats) => stats.reduce((total, s) => total + (s[key] ?? 0), 0) / steps;
	const doRequests = sum("requests");
	const rowsRead = sum("rowsRead");
	const rowsWritten = sum("rowsWritten");
	const messages = sum("messagesSent");
	const invocations = consumerInvocations === null ? null : consumerInvocations / steps;
	const dollars = {
		doRequests: doRequests * PRICES.doRequestPerMillion,
		rowsRead: rowsRead * PRICES.rowReadPerMillion,
		rowsWritten: rowsWritten * PRICES.rowWrittenPerMillion,
		queue: messages * PRICES.queueOperationsPerMessage * PRICES.queueOperationPerMillion,
		workers: (invocations ?? 0) * PRICES.workerRequestPerMillion,
		total: 0,
	};
	dollars.total =
		dollars.doRequests + dollars.rowsRead + dollars.rowsWritten + dollars.queue + dollars.workers;
	return {
		label,
		tasks: stats.length,
		steps,
		doRequests,
		rowsRead,
		rowsWritten,
		messages,
		sendBatches: sum("sendBatches"),
		consumerInvocations: invocations,
		dollars,
	};
}

function sampleCost(label: string, samples: readonly TaskSample[], stepsPerTask: number): CostFigure {
	const counted = samples.every((s) => s.consumerInvocations !== null);
	const invocations = samples.reduce((total, s) => total + (s.consumerInvocations ?? 0), 0);
	return costFigure(
		label,
		samples.map((s) => s.stats),
		stepsPerTask,
		counted ? invocations : null,
	);
}

/** Throughput over every round: all rounds' tasks over their summed wall time; latencies over every run. */
function loadSide(
	label: string,
	load: LoadResult,
	rounds: ReadonlyArray<LoadSide | undefined>,
): LoadSideFigure {
	const measured = rounds.filter((side): side is LoadSide => side !== undefined);
	const wallMs = measured.reduce((sum, side) => sum + side.wallMs, 0);
	const runs = measured.flatMap((side) => side.runs);
	const tasks = load.tasks * measured.length;
	return {
		label,
		wallMs,
		tasksPerSecond: tasks / (wallMs / 1000),
		stepsPerSecond: (tasks * load.stepsPerTask) / (wallMs / 1000),
		e2e: summarize(e2e(runs)),
		post: summarize(runs.map((r) => r.postMs)),
	};
}

function loadFigure(load: LoadResult): LoadFigure {
	const later = load.laterRounds ?? [];
	const oursRounds: LoadSide[] = [{ wallMs: load.wallMs, runs: load.runs }, ...later.map((r) => r.ours)];
	const ours = loadSide("tasker-edge (seed orders)", load, oursRounds);
	const sides = [ours];
	const floorRounds = load.floor ? [load.floor, ...later.map((r) => r.floor)] : [];
	if (load.floor) sides.push(loadSide(`floor (${load.stepsPerTask} hops each)`, load, floorRounds));
	if (load.workflows)
		sides.push(
			loadSide("Workflows (the order's DAG)", load, [load.workflows, ...later.map((r) => r.workflows)]),
		);
	return {
		tasks: load.tasks,
		concurrency: load.concurrency,
		wallMs: ours.wallMs,
		tasksPerSecond: ours.tasksPerSecond,
		stepsPerSecond: ours.stepsPerSecond,
		e2e: ours.e2e,
		post: ours.post,
		messagesPerInvocation:
			load.consumerMessages === undefined || load.consumerInvocations === 0
				? null
				: load.consumerMessages / load.consumerInvocations,
		sides,
		rounds: oursRounds.length,
		// Same wall-time basis, same N: the ratio of throughputs is the inverse ratio of wall times.
		oursOverFloorByRound: floorRounds.map((floor, i) => floor.wallMs / (oursRounds[i]?.wallMs ?? Number.NaN)),
	};
}

export function computeFigures(shapes: ShapesResult, scale: ScaleResult, load: LoadResult): Figures {
	const linear = shapes.shapes[0];
	if (!linear) throw new Error("no linear runs");
	const scaleFigures = {
		fanOut: scaleFigure(scale.fanOut),
		chain: scaleFigure(scale.chain),
		grid100: scaleFigure(scale.grid100),
		grid10k: scaleFigure(scale.grid10k),
	};
	const perStep = (series: ScaleSeries) => series.ours.map((r) => r.e2eMs / series.shape.steps);
	return {
		shapes: shapes.shapes.map(({ shape, ours, workflows, floor }) => ({
			label: shape.label,
			template: shape.template,
			steps: shape.steps,
			depth: shape.depth,
			ours: latency(ours),
			oursServer: summarize(ours.map((r) => r.serverMs)),
			workflows: latency(workflows),
			ratio: ratio(e2e(ours), e2e(workflows), true),
			ratioAfterPost: ratio(afterPost(ours), afterPost(workflows), true),
			floor: floor && floor.length > 0 ? summarize(e2e(floor)) : null,
			floorRatio: floor && floor.length > 0 ? ratio(e2e(ours), e2e(floor), true) : null,
		})),
		floor: [
			floorFigure(shapes.floor.alarm, "alarm", 4),
			floorFigure(shapes.floor.direct, "direct", 4),
			floorFigure(scale.longFloor.alarm, "alarm", scale.chain.shape.steps),
			floorFigure(scale.longFloor.direct, "direct", scale.chain.shape.steps),
		],
		overhead: [
			overhead(`linear, ${linear.shape.steps} steps`, linear.ours, linear.shape.steps, shapes.floor),
			overhead(scale.chain.shape.label, scale.chain.ours, scale.chain.shape.steps, scale.longFloor),
		],
		scale: scaleFigures,
		flatness: ratio(
			perStep(scale.grid10k),
			perStep(scale.grid100),
			scale.grid10k.ours.length === scale.grid100.ours.length,
		),
		load: loadFigure(load),
		cost: [
			...shapes.shapes.map((s) => sampleCost(s.shape.label, s.ours, s.shape.steps)),
			costFigure("seed order (under load)", load.stats, load.stepsPerTask, load.consumerInvocations),
			...[scale.fanOut, scale.chain, scale.grid100, scale.grid10k].map((s) =>
				sampleCost(s.shape.label, s.ours, s.shape.steps),
			),
		],
	};
}
