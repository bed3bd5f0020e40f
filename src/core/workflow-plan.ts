// A template with dynamic steps, compiled once into a graph whose segments say what may be created
// from where: which steps exist when the task starts, which a decision may choose (its segment), which
// a batch analyzer instantiates, and which appear on their own once their parents exist (convergence
// steps, and the steps after them). A template without dynamic steps compiles to null: the static
// path does not change at all.
import { MAX_DECISION_DEPTH } from "../limits";
import { type BatchConfig, isCreatedAtInitialization, type StepType } from "../templates/step-types";
import type { StepDefinition, TaskTemplate } from "../templates/task-template";

/**
 * How a step comes to exist: `initial` when the task starts; `branch` when its decision chooses it
 * (or a step before it in the same segment); `worker` as instances made by its batchable analyzer;
 * `deferred` (deferred convergence) when any of its declared dependencies exists; `follower` when all
 * of its dependencies exist (a step after a convergence step).
 */
export type StepOrigin = "initial" | "branch" | "worker" | "deferred" | "follower";

export interface PlanStep {
	name: string;
	type: StepType;
	origin: StepOrigin;
	/** For a `branch` step: the decision whose choice creates it. */
	decision: string | null;
	/** For a `worker` template: its batchable analyzer. */
	analyzer: string | null;
	/** For a `worker` template: the batch settings its instances run with. */
	batchConfig: BatchConfig | null;
	dependencies: string[];
	children: string[];
}

export interface WorkflowPlan {
	/** In template order: a step's position is its idx, as for static tasks. */
	steps: PlanStep[];
	/** For each decision, the steps it may choose (its segment), in template order. */
	segments: Record<string, string[]>;
}

export interface PlanProblem {
	/** The step's index in the template, or null for the whole template. */
	step: number | null;
	/** `type`, `batch_config`, `dependencies`, ... or "" for the step as a whole. */
	key: string;
	message: string;
}

/** A step's type, standard when the template leaves it out. */
export const stepTypeOf = (def: Pick<StepDefinition, "type">): StepType => def.type ?? "standard";

export function hasDynamicSteps(template: Pick<TaskTemplate, "steps">): boolean {
	return template.steps.some((step) => stepTypeOf(step) !== "standard");
}

const compiled = new WeakMap<TaskTemplate, WorkflowPlan | null>();

/** The template's plan (null when every step is standard), compiled once per template object. */
export function planOf(template: TaskTemplate): WorkflowPlan | null {
	if (compiled.has(template)) return compiled.get(template) ?? null;
	const result = hasDynamicSteps(template) ? compileWorkflowPlan(template.steps) : null;
	if (result !== null && result.problems.length > 0) {
		// Templates are validated before they are served; reaching this is a bug, not a client error.
		throw new Error(`template invariant broken: ${result.problems[0]?.message}`);
	}
	const plan = result?.plan ?? null;
	compiled.set(template, plan);
	return plan;
}

type StepShape = Pick<StepDefinition, "name" | "dependencies" | "type" | "batchConfig">;

/** Compiles the steps (already checked for unknown names and cycles) and lists every rule they break. */
export function compileWorkflowPlan(defs: readonly StepShape[]): {
	plan: WorkflowPlan;
	problems: PlanProblem[];
} {
	const problems: PlanProblem[] = [];
	const indexOf = new Map(defs.map((def, i) => [def.name, i]));
	const typeOf = (name: string): StepType => {
		const i = indexOf.get(name);
		return i === undefined ? "standard" : stepTypeOf(defs[i] as StepShape);
	};
	const children = new Map<string, string[]>(defs.map((def) => [def.name, []]));
	for (const def of defs) for (const dep of def.dependencies) children.get(dep)?.push(def.name);

	// Segments: from each decision's children, through steps that are neither convergence steps nor
	// worker templates (they have their own rules), stopping at (and including) nested decisions.
	const segments: Record<string, string[]> = {};
	const decisionOf = new Map<string, string>();
	for (const def of defs) {
		if (stepTypeOf(def) !== "decision") continue;
		const members = new Set<string>();
		const stack = [...(children.get(def.name) ?? [])];
		while (stack.length > 0) {
			const name = stack.pop() as string;
			const type = typeOf(name);
			if (members.has(name) || type === "deferred_convergence" || type === "batch_worker") continue;
			members.add(name);
			if (type !== "decision") stack.push(...(children.get(name) ?? []));
		}
		const ordered = defs.filter((d) => members.has(d.name)).map((d) => d.name);
		segments[def.name] = ordered;
		for (const name of ordered) {
			const other = decisionOf.get(name);
			if (other !== undefined) {
				problems.push({
					step: indexOf.get(name) ?? null,
					key: "dependencies",
					message: `step "${name}" follows both decision "${other}" and decision "${def.name}": a step that may be reached from two decisions must be type deferred_convergence (it then waits for whichever branches exist)`,
				});
			} else decisionOf.set(name, def.name);
		}
	}

	const analyzerOf = new Map<string, string>();
	defs.forEach((def, i) => {
		const type = stepTypeOf(def);
		if (def.batchConfig && type !== "batchable" && type !== "batch_worker") {
			problems.push({
				step: i,
				key: "batch_config",
				message: `batch_config applies to batchable and batch_worker steps only; step "${def.name}" is type ${type}`,
			});
		}
		if (type === "batch_worker") {
			const analyzers = def.dependencies.filter((dep) => typeOf(dep) === "batchable");
			if (def.dependencies.length !== 1 || analyzers.length !== 1) {
				problems.push({
					step: i,
					key: "dependencies",
					message: `a batch_worker step depends on exactly one step, its batchable analyzer; step "${def.name}" depends on ${describeNames(def.dependencies)}`,
				});
			} else analyzerOf.set(def.name, analyzers[0] as string);
		}
		if (type === "deferred_convergence" && def.dependencies.length === 0) {
			problems.push({
				step: i,
				key: "dependencies",
				message: `a deferred_convergence step lists every step it may converge over; step "${def.name}" lists none`,
			});
		}
		for (const dep of def.dependencies) {
			if (typeOf(dep) === "batch_worker" && type !== "deferred_convergence") {
				problems.push({
					step: i,
					key: "dependencies",
					message: `step "${def.name}" depends on batch_worker "${dep}": only a deferred_convergence step may (it waits for every worker created from it)`,
				});
			}
		}
	});
	defs.forEach((def, i) => {
		if (stepTypeOf(def) !== "batchable") return;
		const workers = (children.get(def.name) ?? []).filter((c) => analyzerOf.get(c) === def.name);
		if (workers.length === 0) {
			problems.push({
				step: i,
				key: "type",
				message: `batchable step "${def.name}" has no batch_worker step depending on it: its workers would have no template`,
			});
		}
	});
	const batchConfigOf = (worker: StepShape, i: number): BatchConfig | null => {
		const analyzer = analyzerOf.get(worker.name);
		const own = worker.batchConfig ?? null;
		const inherited =
			analyzer === undefined ? null : (defs[indexOf.get(analyzer) ?? -1]?.batchConfig ?? null);
		const config = own ?? (inherited?.workerTemplate === worker.name ? inherited : null);
		if (config === null) {
			problems.push({
				step: i,
				key: "batch_config",
				message: `batch_worker step "${worker.name}" needs a batch_config (on itself, or on its batchable step naming it as worker_template)`,
			});
		} else if (own && own.workerTemplate !== worker.name) {
			problems.push({
				step: i,
				key: "batch_config.worker_template",
				message: `on a batch_worker step, worker_template names the step itself ("${worker.name}"), got "${own.workerTemplate}"`,
			});
		}
		return config;
	};
	defs.forEach((def, i) => {
		if (stepTypeOf(def) !== "batchable" || !def.batchConfig) return;
		const target = def.batchConfig.workerTemplate;
		if (analyzerOf.get(target) !== def.name) {
			problems.push({
				step: i,
				key: "batch_config.worker_template",
				message: `"${target}" is not a batch_worker step depending on "${def.name}"`,
			});
		}
	});

	// Origins, in dependency order (the template is acyclic): a step exists from the start only if it
	// is created at initialization, chosen by no decision, and all its parents exist from the start.
	const origin = new Map<string, StepOrigin>();
	const originOf = (name: string, seen: Set<string> = new Set()): StepOrigin => {
		const known = origin.get(name);
		if (known !== undefined) return known;
		const def = defs[indexOf.get(name) ?? -1] as StepShape;
		let result: StepOrigin;
		const type = stepTypeOf(def);
		// The reference's rule first (is_created_at_initialization); decisions and followers refine it.
		if (!isCreatedAtInitialization(type)) result = type === "batch_worker" ? "worker" : "deferred";
		else if (decisionOf.has(name)) result = "branch";
		else if (seen.has(name)) result = "follower";
		else {
			seen.add(name);
			result = def.dependencies.every((dep) => originOf(dep, seen) === "initial") ? "initial" : "follower";
		}
		origin.set(name, result);
		return result;
	};
	// Iterative over template order keeps recursion shallow for long chains: parents usually come first.
	for (const def of topologicalOrder(defs, indexOf)) originOf(def.name);

	// A branch step may wait only for its own decision, what that decision waits for, or steps of its
	// own segment: anything else might not exist yet when the decision creates it.
	for (const [decision, members] of Object.entries(segments)) {
		const allowed = new Set([decision, ...ancestorsOf(decision, defs, indexOf), ...members]);
		for (const name of members) {
			const i = indexOf.get(name) as number;
			for (const dep of (defs[i] as StepShape).dependencies) {
				if (!allowed.has(dep)) {
					problems.push({
						step: i,
						key: "dependencies",
						message: `step "${name}" is created by decision "${decision}" but depends on "${dep}", which is neither that decision, one of its ancestors, nor a step it may create`,
					});
				}
			}
		}
	}

	const depth = decisionDepth(defs, indexOf);
	if (depth.depth > MAX_DECISION_DEPTH) {
		problems.push({
			step: indexOf.get(depth.at) ?? null,
			key: "type",
			message: `decisions nest ${depth.depth} deep up to step "${depth.at}"; at most ${MAX_DECISION_DEPTH} (MAX_DECISION_DEPTH)`,
		});
	}

	const steps: PlanStep[] = defs.map((def, i) => {
		const type = stepTypeOf(def);
		return {
			name: def.name,
			type,
			origin: origin.get(def.name) ?? "initial",
			decision: decisionOf.get(def.name) ?? null,
			analyzer: analyzerOf.get(def.name) ?? null,
			batchConfig: type === "batch_worker" ? batchConfigOf(def, i) : null,
			dependencies: [...def.dependencies],
			children: [...(children.get(def.name) ?? [])],
		};
	});
	return { plan: { steps, segments }, problems };
}

function describeNames(names: readonly string[]): string {
	return names.length === 0 ? "nothing" : names.map((n) => `"${n}"`).join(", ");
}

/** Every step the given one waits for, directly or transitively. */
export function ancestorsOf(
	name: string,
	defs: readonly Pick<StepShape, "name" | "dependencies">[],
	indexOf: ReadonlyMap<string, number>,
): Set<string> {
	const seen = new Set<string>();
	const stack = [...(defs[indexOf.get(name) ?? -1]?.dependencies ?? [])];
	while (stack.length > 0) {
		const next = stack.pop() as string;
		if (seen.has(next)) continue;
		seen.add(next);
		stack.push(...(defs[indexOf.get(next) ?? -1]?.dependencies ?? []));
	}
	return seen;
}

function topologicalOrder(defs: readonly StepShape[], indexOf: ReadonlyMap<string, number>): StepShape[] {
	const pending = defs.map((def) => def.dependencies.filter((d) => indexOf.has(d)).length);
	const children: number[][] = defs.map(() => []);
	defs.forEach((def, i) => {
		for (const dep of def.dependencies) {
			const j = indexOf.get(dep);
			if (j !== undefined) children[j]?.push(i);
		}
	});
	const order: StepShape[] = [];
	const queue = defs.map((_, i) => i).filter((i) => pending[i] === 0);
	for (let head = 0; head < queue.length; head++) {
		const i = queue[head] as number;
		order.push(defs[i] as StepShape);
		for (const c of children[i] as number[]) {
			pending[c] = (pending[c] as number) - 1;
			if (pending[c] === 0) queue.push(c);
		}
	}
	return order;
}

/** The most decisions met along any path, and the step where that path ends. */
function decisionDepth(
	defs: readonly StepShape[],
	indexOf: ReadonlyMap<string, number>,
): { depth: number; at: string } {
	const depth = new Map<string, number>();
	let best = { depth: 0, at: "" };
	for (const def of topologicalOrder(defs, indexOf)) {
		const parents = Math.max(0, ...def.dependencies.map((d) => depth.get(d) ?? 0));
		const own = parents + (stepTypeOf(def) === "decision" ? 1 : 0);
		depth.set(def.name, own);
		if (own > best.depth) best = { depth: own, at: def.name };
	}
	return best;
}
