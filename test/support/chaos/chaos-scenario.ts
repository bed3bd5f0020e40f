// What one chaos run is made of, and the fast-check arbitraries that generate it: a random valid DAG
// (acyclic by construction: a step depends only on earlier ones), how each step's handler behaves,
// how often each fault strikes, and a tape of choices the simulation consumes at every decision.
// Everything shrinks toward "fewer steps, fewer faults": a choice of 0 never injects a fault.
import fc from "fast-check";
import type { BackoffKind, StepDefinition, TaskTemplate } from "../../../src/templates/task-template";

export type Behaviour =
	| { kind: "succeed" }
	/** Fails with a retryable error on its first `failures` attempts (decided by the attempt number). */
	| { kind: "flaky"; failures: number }
	/** Fails for good on this attempt (and succeeds before it, which the attempt never reaches). */
	| { kind: "permanent"; onAttempt: number }
	/** Runs past its timeout on this attempt: the consumer gives up at timeout_seconds and reports a timeout. */
	| { kind: "hang"; onAttempt: number };

export interface StepSpec {
	/** Indices of earlier steps. */
	deps: number[];
	behaviour: Behaviour;
	maxAttempts: number;
	retryable: boolean;
	backoff: BackoffKind;
	backoffBaseMs: number;
	timeoutSeconds: number;
	/** How long the handler runs when it does not hang. */
	durationMs: number;
}

export const FAULT_KINDS = [
	/** The queue delivers a message twice. */
	"duplicate",
	/** The consumer dies after running a handler, before reporting: the message is redelivered. */
	"crash",
	/** `sendBatch` fails: the dispatch stays owed (dispatchFailed) and the alarm retries it. */
	"send_fail",
	/** The alarm throws inside its transaction: nothing of the pass is applied; the platform retries it. */
	"alarm_throw",
	/** The object restarts between a commit and its sends (or their confirmation): those are lost from memory. */
	"restart",
	/** The report RPC fails before reaching the object: the message is redelivered. */
	"report_lost",
	/** The report is applied but its reply is lost: the consumer retries the message anyway. */
	"reply_lost",
	/** The consumer freezes after its handler, and reports only after the attempt's deadline. */
	"stall",
	/** The claim RPC cannot reach the object: the message is retried. */
	"claim_unreachable",
	/** The queue loses a message it accepted (wrangler dev killed, retention): the claim window re-sends it. */
	"message_lost",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Percent chance (0–100) of each fault at each point where it can strike. */
export type FaultRates = Record<FaultKind, number>;

export interface Scenario {
	steps: StepSpec[];
	rates: FaultRates;
	/** An operator cancels the task this long after its creation (null: never). */
	cancelAfterMs: number | null;
	/** Consumed one per decision (fault or not, delays, which due event first); 0 once exhausted. */
	choices: number[];
	/** Dynamic scenarios only: each template step's role, by index. */
	roles?: Role[];
}

const MAX_STEPS = 12;

const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
	{ weight: 8, arbitrary: fc.constant({ kind: "succeed" as const }) },
	{
		weight: 3,
		arbitrary: fc.record({ kind: fc.constant("flaky" as const), failures: fc.integer({ min: 1, max: 2 }) }),
	},
	{
		weight: 1,
		arbitrary: fc.record({
			kind: fc.constant("permanent" as const),
			onAttempt: fc.integer({ min: 1, max: 2 }),
		}),
	},
	{
		weight: 1,
		arbitrary: fc.record({ kind: fc.constant("hang" as const), onAttempt: fc.integer({ min: 1, max: 2 }) }),
	},
);

const stepSpec = (options: { behaviours: fc.Arbitrary<Behaviour>; maxDurationMs: number }) =>
	fc.record({
		deps: fc.uniqueArray(fc.nat({ max: MAX_STEPS - 1 }), { maxLength: 3 }),
		behaviour: options.behaviours,
		// Shrinks toward 5 attempts: the simplest case is the one where retries are left.
		maxAttempts: fc.integer({ min: 0, max: 4 }).map((n) => 5 - n),
		// Mostly retryable (shrinks toward retryable); one in ten a step whose template forbids retries.
		retryable: fc.integer({ min: 0, max: 9 }).map((n) => n !== 9),
		backoff: fc.constantFrom<BackoffKind>("none", "linear", "exponential", "fibonacci"),
		backoffBaseMs: fc.integer({ min: 100, max: 3_000 }),
		timeoutSeconds: fc.integer({ min: 1, max: 5 }),
		durationMs: fc.integer({ min: 0, max: options.maxDurationMs }),
	});

/** Steps whose dependencies point only backwards: every generated DAG is valid. */
function acyclic(steps: StepSpec[]): StepSpec[] {
	return steps.map((step, i) => ({ ...step, deps: step.deps.filter((d) => d < i) }));
}

const rate = (max: number) => fc.integer({ min: 0, max });

export interface ScenarioOptions {
	/** Which faults may strike (the others stay at 0). */
	faults: readonly FaultKind[];
	/** Handlers that hang or fail are allowed (off: every handler succeeds at once, within its timeout). */
	failingHandlers: boolean;
	/** An operator may cancel the task midway. */
	cancels: boolean;
}

export function scenarioArbitrary(options: ScenarioOptions): fc.Arbitrary<Scenario> {
	const behaviours = options.failingHandlers ? behaviour : fc.constant<Behaviour>({ kind: "succeed" });
	// Without failing handlers, a run always ends well inside its 1 s minimum timeout.
	const maxDurationMs = options.failingHandlers ? 2_500 : 900;
	const rates = fc.record(
		Object.fromEntries(
			FAULT_KINDS.map((kind) => [kind, options.faults.includes(kind) ? rate(25) : fc.constant(0)]),
		) as {
			[K in FaultKind]: fc.Arbitrary<number>;
		},
	);
	return fc.record({
		steps: fc
			.array(stepSpec({ behaviours, maxDurationMs }), { minLength: 1, maxLength: MAX_STEPS })
			.map(acyclic),
		rates,
		// One run in eight is cancelled, at some moment of its first 20 s.
		cancelAfterMs: options.cancels
			? fc.oneof(
					{ weight: 7, arbitrary: fc.constant(null) },
					{ weight: 1, arbitrary: fc.integer({ min: 0, max: 20_000 }) },
				)
			: fc.constant(null),
		// Long tapes (not fast-check's default small arrays), so that faults strike all through a run.
		choices: fc.array(fc.nat({ max: 99 }), { maxLength: 600, size: "max" }),
	});
}

export const stepName = (i: number) => `s${i}`;

export function templateOf(scenario: Scenario): TaskTemplate {
	return {
		name: "chaos_dag",
		namespace: "chaos",
		version: "1.0.0",
		description: null,
		steps: scenario.steps.map((spec, i) => ({
			name: stepName(i),
			description: null,
			callable: "ChaosHandler",
			initialization: {},
			dependencies: spec.deps.map(stepName),
			retry: {
				retryable: spec.retryable,
				maxAttempts: spec.maxAttempts,
				backoff: spec.backoff,
				backoffBaseMs: spec.backoffBaseMs,
				maxBackoffMs: 10_000,
			},
			timeoutSeconds: spec.timeoutSeconds,
			...dynamicFields(scenario, i),
		})),
	};
}

function dynamicFields(scenario: Scenario, i: number): Pick<StepDefinition, "type" | "batchConfig"> {
	const role = scenario.roles?.[i];
	if (!role || role.kind === "standard") return {};
	if (role.kind === "decision") return { type: "decision" };
	if (role.kind === "deferred") return { type: "deferred_convergence" };
	if (role.kind === "batchable") return { type: "batchable" };
	return {
		type: "batch_worker",
		batchConfig: {
			batchSize: 10,
			parallelism: 10,
			cursorField: "id",
			workerTemplate: stepName(i),
			failureStrategy: role.strategy,
		},
	};
}

// ---- dynamic DAGs: decisions, deferred convergence, batches with checkpoints ----------------------

/** What a template step is in a dynamic scenario (absent: standard). */
export type Role =
	| { kind: "standard" }
	/** Chooses `choose` among its own direct branches (indices of steps); empty: no_branches. */
	| { kind: "decision"; choose: number[] }
	| { kind: "deferred" }
	| {
			kind: "batchable";
			/** Workers to create (0: no_batches, one no-op worker). */
			workers: number;
	  }
	| {
			kind: "batch_worker";
			strategy: "continue_on_failure" | "fail_fast" | "isolate";
			/** Per worker (by batch index, cycled): how it behaves, and how many checkpoints it yields first. */
			instances: Array<{ behaviour: Behaviour; yields: number }>;
	  };

const MAX_PREFIX = 3;
const MAX_BRANCHES = 4;
const MAX_WORKERS = 12;

const specOf = (deps: number[], base: StepSpec): StepSpec => ({ ...base, deps });

/**
 * A decision DAG: a random static prefix, a decision over up to four branches (some chained), perhaps
 * a nested decision among them with its own branches, a convergence step over every branch, and perhaps
 * a step after it. Or a batch DAG: a prefix, an analyzer, its worker template, the aggregator, perhaps a
 * step after it. Valid by construction (template validation agrees: see the chaos test).
 */
export function dynamicScenarioArbitrary(options: ScenarioOptions): fc.Arbitrary<Scenario> {
	const behaviours = options.failingHandlers ? behaviour : fc.constant<Behaviour>({ kind: "succeed" });
	const maxDurationMs = options.failingHandlers ? 2_500 : 900;
	const spec = stepSpec({ behaviours, maxDurationMs });
	const base = scenarioArbitrary(options);
	const prefix = fc.array(spec, { maxLength: MAX_PREFIX }).map(acyclic);
	const decisionDag = fc
		.record({
			prefix,
			decision: spec,
			branches: fc.array(fc.record({ spec, chained: fc.boolean() }), {
				minLength: 1,
				maxLength: MAX_BRANCHES,
			}),
			nested: fc.option(
				fc.record({
					spec,
					branches: fc.array(spec, { minLength: 1, maxLength: 3 }),
					choose: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
				}),
			),
			choose: fc.array(fc.boolean(), { minLength: MAX_BRANCHES + 1, maxLength: MAX_BRANCHES + 1 }),
			end: spec,
			after: fc.option(spec),
			decisionDeps: fc.uniqueArray(fc.nat({ max: MAX_PREFIX - 1 }), { maxLength: 2 }),
		})
		.map(({ prefix, decision, branches, nested, choose, end, after, decisionDeps }) => {
			const steps: StepSpec[] = [...prefix];
			const roles: Role[] = prefix.map(() => ({ kind: "standard" }));
			const d = steps.length;
			steps.push(
				specOf(
					decisionDeps.filter((i) => i < prefix.length),
					decision,
				),
			);
			roles.push({ kind: "decision", choose: [] });
			const direct: number[] = [];
			const all: number[] = [];
			branches.forEach((b, i) => {
				const idx = steps.length;
				const chainedTo = b.chained && i > 0 ? idx - 1 : null;
				steps.push(specOf(chainedTo === null ? [d] : [d, chainedTo], b.spec));
				roles.push({ kind: "standard" });
				direct.push(idx);
				all.push(idx);
			});
			if (nested) {
				const n = steps.length;
				steps.push(specOf([d], nested.spec));
				const inner: number[] = [];
				nested.branches.forEach((b) => {
					inner.push(steps.length);
					steps.push(specOf([n], b));
					roles.push({ kind: "standard" });
				});
				roles.splice(n, 0, { kind: "decision", choose: inner.filter((_, i) => nested.choose[i]) });
				direct.push(n);
				all.push(...inner);
			}
			roles[d] = { kind: "decision", choose: direct.filter((_, i) => choose[i]) };
			const endIdx = steps.length;
			steps.push(specOf(all, end));
			roles.push({ kind: "deferred" });
			if (after) {
				steps.push(specOf([endIdx], after));
				roles.push({ kind: "standard" });
			}
			return { steps, roles };
		});
	const batchDag = fc
		.record({
			prefix,
			analyzer: spec,
			workers: fc.integer({ min: 0, max: MAX_WORKERS }),
			worker: spec,
			strategy: fc.constantFrom("continue_on_failure" as const, "fail_fast" as const, "isolate" as const),
			instances: fc.array(fc.record({ behaviour: behaviours, yields: fc.integer({ min: 0, max: 3 }) }), {
				minLength: 1,
				maxLength: 4,
			}),
			aggregator: spec,
			after: fc.option(spec),
			analyzerDeps: fc.uniqueArray(fc.nat({ max: MAX_PREFIX - 1 }), { maxLength: 2 }),
		})
		.map(({ prefix, analyzer, workers, worker, strategy, instances, aggregator, after, analyzerDeps }) => {
			const steps: StepSpec[] = [...prefix];
			const roles: Role[] = prefix.map(() => ({ kind: "standard" }));
			const a = steps.length;
			steps.push(
				specOf(
					analyzerDeps.filter((i) => i < prefix.length),
					analyzer,
				),
			);
			roles.push({ kind: "batchable", workers });
			steps.push(specOf([a], worker));
			roles.push({ kind: "batch_worker", strategy, instances });
			steps.push(specOf([a + 1], aggregator));
			roles.push({ kind: "deferred" });
			if (after) {
				steps.push(specOf([a + 2], after));
				roles.push({ kind: "standard" });
			}
			return { steps, roles };
		});
	return fc
		.record({ base, dag: fc.oneof(decisionDag, batchDag) })
		.map(({ base, dag }) => ({ ...base, steps: dag.steps, roles: dag.roles }));
}

/** The template step a (possibly batch worker) step name belongs to, by index. */
export function specIndex(name: string): number {
	return Number(name.slice(1).split("_")[0]);
}
