// The chaos suite: random DAGs run by the shipped task runtime and consumer sequencing (src/runtime,
// src/queue/consume-step-batch.ts) on a simulated platform that duplicates,
// delays and reorders deliveries, crashes consumers between handler and report, fails sends, throws
// in alarms, restarts the object and lets time run out on hung steps. fast-check generates shapes
// and faults and shrinks a failure to a minimal case. CHAOS_RUNS=5000 (npm run chaos) runs more.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { checkInvariants } from "../support/chaos/chaos-invariants";
import {
	dynamicScenarioArbitrary,
	FAULT_KINDS,
	type FaultKind,
	scenarioArbitrary,
} from "../support/chaos/chaos-scenario";
import { type ChaosRun, runChaos } from "../support/chaos/simulated-platform";

const RUNS = Number(process.env.CHAOS_RUNS ?? 600);
const SEED = process.env.CHAOS_SEED === undefined ? undefined : Number(process.env.CHAOS_SEED);
/** About 10 ms a DAG on a quiet machine, 30 under load (more while shrinking a failure): generous, so that a large run is never cut short. */
const TIME_LIMIT_MS = 30_000 + RUNS * 60;
/** Decision and batch DAGs take longer (up to a dozen workers, checkpoints): a few seconds' worth in `npm test`. */
const DYNAMIC_RUNS = process.env.CHAOS_RUNS === undefined ? 100 : RUNS;
const DYNAMIC_TIME_LIMIT_MS = 30_000 + DYNAMIC_RUNS * 100;

interface Figures {
	tasks: number;
	complete: number;
	error: number;
	cancelled: number;
	steps: number;
	faults: Record<FaultKind, number>;
	deliveries: number;
	dropped: number;
	timeouts: number;
	lateAfterTimeout: number;
	violations: number;
}

function newFigures(): Figures {
	return {
		tasks: 0,
		complete: 0,
		error: 0,
		cancelled: 0,
		steps: 0,
		faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
		deliveries: 0,
		dropped: 0,
		timeouts: 0,
		lateAfterTimeout: 0,
		violations: 0,
	};
}

const figures = { all: newFigures(), duplicatesOnly: newFigures(), dynamic: newFigures() };
/** Dynamic runs: steps created while they ran, and how many convergence steps checked what they saw. */
const dynamicFigures = { created: 0, converged: 0, workers: 0, yields: 0 };

function tally(into: Figures, run: ChaosRun, violations: string[]): void {
	const task = run.store.loadTask();
	into.tasks += 1;
	if (task?.status === "complete") into.complete += 1;
	if (task?.status === "error") into.error += 1;
	if (task?.status === "cancelled") into.cancelled += 1;
	into.steps += run.scenario.steps.length;
	for (const kind of FAULT_KINDS) into.faults[kind] += run.counts.faults[kind];
	into.deliveries += run.counts.deliveries;
	into.dropped += run.counts.claimDrops + run.counts.resultDrops;
	into.timeouts += task?.stats.timeouts ?? 0;
	into.lateAfterTimeout += run.counts.lateAfterTimeout;
	into.violations += violations.length;
}

function property(into: Figures, extra: (run: ChaosRun) => string[] = () => []) {
	return async (scenario: Parameters<typeof runChaos>[0]) => {
		const run = await runChaos(scenario);
		const violations = [...checkInvariants(run), ...extra(run)];
		tally(into, run, violations);
		if (violations.length > 0) throw new Error(`invariants broken:\n- ${violations.join("\n- ")}`);
	};
}

// The runtime and the consumer log a JSON line per event: thousands of runs would only fill the buffer.
beforeAll(() => {
	vi.spyOn(console, "log").mockImplementation(() => {});
});

describe("chaos: random DAGs under injected platform faults", () => {
	it(
		`every fault at once (${RUNS} DAGs): every task ends, results apply once, the log and the counters agree`,
		async () => {
			await fc.assert(
				fc.asyncProperty(
					scenarioArbitrary({ faults: FAULT_KINDS, failingHandlers: true, cancels: true }),
					property(figures.all),
				),
				{
					numRuns: RUNS,
					seed: SEED,
				},
			);
			expect(figures.all.tasks).toBeGreaterThanOrEqual(RUNS);
			expect(figures.all.violations).toBe(0);
			// The generator does reach every fault and every ending, or the suite proves less than it says.
			for (const kind of FAULT_KINDS) expect(figures.all.faults[kind], kind).toBeGreaterThan(0);
			expect(figures.all.complete).toBeGreaterThan(0);
			expect(figures.all.error).toBeGreaterThan(0);
			expect(figures.all.cancelled).toBeGreaterThan(0);
			expect(figures.all.timeouts).toBeGreaterThan(0);
			expect(figures.all.lateAfterTimeout).toBeGreaterThan(0);
		},
		TIME_LIMIT_MS,
	);

	it(
		`duplicated, delayed and reordered deliveries only (${Math.ceil(RUNS / 3)} DAGs): dropped = injected duplicates`,
		async () => {
			const exact = (run: ChaosRun) => {
				const { counts } = run;
				const dropped = counts.claimDrops + counts.resultDrops;
				const problems: string[] = [];
				if (dropped !== counts.duplicates)
					problems.push(`dropped ${dropped} ≠ injected duplicates ${counts.duplicates}`);
				if (run.store.loadTask()?.status !== "complete")
					problems.push("with succeeding handlers the task must complete");
				return problems;
			};
			await fc.assert(
				fc.asyncProperty(
					scenarioArbitrary({ faults: ["duplicate"], failingHandlers: false, cancels: false }),
					property(figures.duplicatesOnly, exact),
				),
				{ numRuns: Math.ceil(RUNS / 3), seed: SEED },
			);
			expect(figures.duplicatesOnly.faults.duplicate).toBeGreaterThan(0);
			expect(figures.duplicatesOnly.dropped).toBe(figures.duplicatesOnly.faults.duplicate);
		},
		TIME_LIMIT_MS,
	);
});

describe("chaos: decision and batch DAGs under injected platform faults", () => {
	it(
		`every fault at once (${DYNAMIC_RUNS} decision and batch DAGs): only chosen branches exist and run, convergence sees exactly the created parents`,
		async () => {
			await fc.assert(
				fc.asyncProperty(
					dynamicScenarioArbitrary({ faults: FAULT_KINDS, failingHandlers: true, cancels: true }),
					property(figures.dynamic, (run) => {
						const steps = run.store.listSteps();
						dynamicFigures.created += steps.filter((s) => s.createdBy).length;
						dynamicFigures.workers += steps.filter((s) => s.stepType === "batch_worker").length;
						dynamicFigures.yields += steps.reduce((n, s) => n + (s.checkpoint?.yields ?? 0), 0);
						dynamicFigures.converged += run.convergenceSaw.size;
						return [];
					}),
				),
				{ numRuns: DYNAMIC_RUNS, seed: SEED },
			);
			expect(figures.dynamic.tasks).toBeGreaterThanOrEqual(DYNAMIC_RUNS);
			expect(figures.dynamic.violations).toBe(0);
			expect(figures.dynamic.complete).toBeGreaterThan(0);
			expect(figures.dynamic.error).toBeGreaterThan(0);
			expect(dynamicFigures.created).toBeGreaterThan(0);
			expect(dynamicFigures.converged).toBeGreaterThan(0);
			expect(dynamicFigures.yields).toBeGreaterThan(0);
		},
		DYNAMIC_TIME_LIMIT_MS,
	);
});

afterAll(() => {
	vi.restoreAllMocks();
	// Written straight to stdout: the unit tier hides console output of passing tests.
	const f = figures.all;
	const faults = FAULT_KINDS.map((k) => `${k} ${f.faults[k]}`).join(", ");
	const d = figures.duplicatesOnly;
	process.stdout.write(
		`\nchaos: ${f.tasks} tasks (${f.steps} steps; ${f.complete} complete, ${f.error} error, ${f.cancelled} cancelled), ` +
			`faults injected: ${faults}; ${f.deliveries} deliveries, ${f.dropped} dropped, ` +
			`${f.timeouts} attempts timed out (${f.lateAfterTimeout} late results dropped); invariant violations: ${f.violations}\n` +
			`chaos, duplicates only: ${d.tasks} tasks, ${d.faults.duplicate} duplicates injected, ${d.dropped} dropped; invariant violations: ${d.violations}\n` +
			`chaos, decision and batch DAGs: ${figures.dynamic.tasks} tasks (${figures.dynamic.complete} complete, ${figures.dynamic.error} error, ${figures.dynamic.cancelled} cancelled), ` +
			`${dynamicFigures.created} steps created while running (${dynamicFigures.workers} batch workers, ${dynamicFigures.yields} checkpoint yields), ` +
			`${dynamicFigures.converged} convergence steps checked; invariant violations: ${figures.dynamic.violations}\n`,
	);
});
