// Creates steps while a task runs, inside the transaction that records the result deciding them (a
// decision's choice, an analyzer's batches) or that creates the task. A pass creates the given steps,
// then whatever they bring into existence: convergence steps any of whose declared dependencies now
// exist, and steps after them once all their dependencies exist. A convergence step waits for the
// declared dependencies that exist, and for every unfinished step that could still create another
// (its guards), so that it never starts before the last branch or worker that can exist does.

import type { StepDefinition } from "../templates/task-template";
import type { DynamicBlueprint, DynamicState, StepRef } from "./dynamic-records";
import { StepState, satisfiesDependents } from "./states";
import type { StepRecord, TaskRecord } from "./task-records";
import type { TaskStore } from "./task-store";
import type { PlanStep } from "./workflow-plan";

/** A step to create: a template step by name, or a batch worker (a named instance of its worker template). */
export interface StepToCreate {
	template: string;
	/** Defaults to the template's name. */
	name?: string;
	stepInputs?: Record<string, unknown>;
}

export interface CreationPass {
	/** The steps created, in creation order (saved, with their edges and audit). */
	created: StepRecord[];
	/** Of them, those with no unmet parent: the caller starts them. */
	ready: StepRecord[];
	/** Existing convergence steps that gained parents in this pass (saved). */
	widened: StepRecord[];
}

interface Pass {
	store: TaskStore;
	task: TaskRecord;
	blueprint: DynamicBlueprint;
	state: DynamicState;
	now: number;
	newStepUuid: () => string;
	/** The step whose result creates these (in flight until this transaction ends); null at task start. */
	creator: StepRecord | null;
	created: StepRecord[];
	createdIdx: Set<number>;
	edges: Array<[number, number]>;
	/** Parents already wired into each convergence step during this pass. */
	wired: Map<number, Set<number>>;
	widened: Map<number, StepRecord>;
	planByName: Map<string, PlanStep>;
	defByName: Map<string, StepDefinition>;
	idxByName: Map<string, number>;
	/** Every existing step's template name, by idx (batch workers differ from their own names). */
	templateByIdx: Map<number, string>;
	createdByIdx: Map<number, StepRecord>;
}

export function createDynamicSteps(
	store: TaskStore,
	task: TaskRecord,
	blueprint: DynamicBlueprint,
	state: DynamicState,
	wanted: readonly StepToCreate[],
	options: { now: number; newStepUuid: () => string; creator: StepRecord | null },
): CreationPass {
	const pass: Pass = {
		store,
		task,
		blueprint,
		state,
		now: options.now,
		newStepUuid: options.newStepUuid,
		creator: options.creator,
		created: [],
		createdIdx: new Set(),
		edges: [],
		wired: new Map(),
		widened: new Map(),
		planByName: new Map(blueprint.plan.steps.map((s) => [s.name, s])),
		defByName: new Map(blueprint.definitions.map((d) => [d.name, d])),
		idxByName: new Map(blueprint.definitions.map((d, i) => [d.name, i])),
		templateByIdx: new Map(),
		createdByIdx: new Map(),
	};
	for (const [name, ref] of Object.entries(state.created)) pass.templateByIdx.set(ref.idx, name);
	for (const [name, refs] of Object.entries(state.instances))
		for (const ref of refs) pass.templateByIdx.set(ref.idx, name);
	for (const item of wanted) createOne(pass, item, parentsOf(pass, item.template));
	convergeAndFollow(pass);
	wireConvergence(pass);

	store.insertSteps(pass.created, pass.edges);
	for (const step of pass.widened.values()) store.saveStep(step);
	store.saveDynamicState(state);
	return {
		created: pass.created,
		ready: pass.created.filter((s) => s.unmetParents === 0),
		widened: [...pass.widened.values()],
	};
}

/** The steps that exist for a template name: its own step, or every worker made from it. */
export function refsOf(state: DynamicState, name: string): StepRef[] {
	const own = state.created[name];
	return own ? [own] : (state.instances[name] ?? []);
}

const exists = (state: DynamicState, name: string): boolean => refsOf(state, name).length > 0;

/** Direct parents of a new (non-convergence) step: every instance of every dependency that exists. */
function parentsOf(pass: Pass, template: string): StepRef[] {
	const def = pass.defByName.get(template);
	return (def?.dependencies ?? []).flatMap((dep) => refsOf(pass.state, dep));
}

function createOne(
	pass: Pass,
	item: StepToCreate,
	parents: readonly StepRef[],
	guards: readonly StepRef[] = [],
): StepRecord {
	const { state, task, now } = pass;
	const def = pass.defByName.get(item.template);
	const plan = pass.planByName.get(item.template);
	if (!def || !plan) throw new Error(`template invariant broken: unknown step "${item.template}"`);
	const isInstance = item.name !== undefined && item.name !== item.template;
	const idx = isInstance ? state.nextIdx++ : (pass.idxByName.get(item.template) as number);
	const ref: StepRef = { idx, uuid: pass.newStepUuid() };
	const all = [...parents, ...guards];
	let unmet = 0;
	for (const parent of all) {
		pass.edges.push([parent.idx, idx]);
		if (!isSatisfied(pass, parent)) unmet += 1;
	}
	const parentNames = parents.map((p) => nameOf(pass, p));
	const step: StepRecord = {
		idx,
		stepUuid: ref.uuid,
		name: item.name ?? item.template,
		description: def.description,
		callable: def.callable,
		initialization: def.initialization,
		dependencies: plan.type === "deferred_convergence" ? parentNames : [...def.dependencies],
		retry: def.retry,
		timeoutSeconds: def.timeoutSeconds,
		state: StepState.pending,
		attempt: 0,
		retryBase: 0,
		unmetParents: unmet,
		totalParents: all.length,
		dispatchDueAt: null,
		nextRetryAt: null,
		deadlineAt: null,
		result: null,
		lastError: null,
		createdAt: now,
		updatedAt: now,
		lastAttemptedAt: null,
		lastFailureAt: null,
		completedAt: null,
		stepType: plan.type,
		templateName: isInstance ? item.template : null,
		stepInputs: item.stepInputs ?? null,
		checkpoint: null,
		createdBy: pass.creator?.name ?? null,
	};
	if (isInstance) state.instances[item.template] = [...(state.instances[item.template] ?? []), ref];
	else state.created[item.template] = ref;
	pass.created.push(step);
	pass.createdIdx.add(idx);
	pass.createdByIdx.set(idx, step);
	pass.templateByIdx.set(idx, item.template);
	pass.wired.set(idx, new Set(all.map((p) => p.idx)));
	task.totalSteps += 1;
	task.counts[StepState.pending] += 1;
	// The audit says who created the step, and from what (a decision's choice, a batch, a convergence).
	if (pass.creator !== null) {
		task.progressAt = now;
		pass.store.appendTransition({
			seq: ++task.transitionSeq,
			stepIdx: idx,
			stepUuid: ref.uuid,
			stepName: step.name,
			fromState: null,
			toState: StepState.pending,
			attempt: 0,
			at: now,
			metadata: {
				created_by: pass.creator.name,
				created_by_uuid: pass.creator.stepUuid,
				step_type: plan.type,
				...(guards.length > 0 ? { waits_for_possible_creators: guards.map((g) => nameOf(pass, g)) } : {}),
			},
		});
	}
	return step;
}

/** Convergence steps any of whose dependencies now exist, and followers all of whose do, until none is left. */
function convergeAndFollow(pass: Pass): void {
	const { state } = pass;
	let changed = true;
	while (changed) {
		changed = false;
		for (const plan of pass.blueprint.plan.steps) {
			if (exists(state, plan.name)) continue;
			if (plan.origin === "deferred" && plan.dependencies.some((dep) => exists(state, dep))) {
				createOne(pass, { template: plan.name }, [], []);
				changed = true;
			} else if (plan.origin === "follower" && plan.dependencies.every((dep) => exists(state, dep))) {
				createOne(pass, { template: plan.name }, parentsOf(pass, plan.name));
				changed = true;
			}
		}
	}
}

/**
 * Gives every open convergence step the parents it must wait for: each existing declared dependency
 * (every worker of a worker template), and each unfinished step that could still create a missing one.
 */
function wireConvergence(pass: Pass): void {
	const { state } = pass;
	for (const plan of pass.blueprint.plan.steps) {
		if (plan.origin !== "deferred") continue;
		const ref = state.created[plan.name];
		if (!ref) continue;
		const createdNow = pass.createdIdx.has(ref.idx);
		let step: StepRecord | null = createdNow
			? (pass.createdByIdx.get(ref.idx) ?? null)
			: (pass.widened.get(ref.idx) ?? null);
		const missing = plan.dependencies.filter((dep) => !exists(state, dep));
		const mayCreate = possibleCreators(pass, missing);
		// Created earlier: only the steps of this pass can be new parents. Created now: every step that exists.
		const candidates: StepRef[] = createdNow
			? existingRefs(pass)
			: pass.created.map((s) => ({ idx: s.idx, uuid: s.stepUuid }));
		const wired = pass.wired.get(ref.idx) ?? new Set<number>();
		const added: StepRef[] = [];
		const names: string[] = [];
		for (const candidate of candidates) {
			if (candidate.idx === ref.idx || wired.has(candidate.idx)) continue;
			const template = templateOf(pass, candidate);
			const declared = plan.dependencies.includes(template);
			if (!declared && !(mayCreate.has(template) && !isSatisfied(pass, candidate))) continue;
			if (declared) names.push(nameOf(pass, candidate));
			added.push(candidate);
		}
		if (added.length === 0) continue;
		if (step === null) step = pass.store.getStep(ref.uuid);
		if (step === null) continue;
		if (!createdNow && step.state !== StepState.pending) {
			// Already started: it cannot wait for parents that appear now. Guards make this unreachable
			// unless an operator moved it on by hand; the audit says what it did not wait for.
			continue;
		}
		for (const parent of added) {
			pass.edges.push([parent.idx, ref.idx]);
			wired.add(parent.idx);
			step.totalParents += 1;
			if (!isSatisfied(pass, parent)) step.unmetParents += 1;
		}
		pass.wired.set(ref.idx, wired);
		step.dependencies = [...step.dependencies, ...names];
		if (!createdNow) pass.widened.set(ref.idx, step);
	}
}

/** Template steps from which a missing dependency may still be reached, i.e. that may lead to its creation. */
function possibleCreators(pass: Pass, missing: readonly string[]): Set<string> {
	const seen = new Set<string>();
	const stack = [...missing.flatMap((name) => pass.planByName.get(name)?.dependencies ?? [])];
	while (stack.length > 0) {
		const name = stack.pop() as string;
		if (seen.has(name)) continue;
		seen.add(name);
		stack.push(...(pass.planByName.get(name)?.dependencies ?? []));
	}
	return seen;
}

function existingRefs(pass: Pass): StepRef[] {
	return [...Object.values(pass.state.created), ...Object.values(pass.state.instances).flat()];
}

function templateOf(pass: Pass, ref: StepRef): string {
	return pass.templateByIdx.get(ref.idx) ?? "";
}

function nameOf(pass: Pass, ref: StepRef): string {
	const created = pass.createdByIdx.get(ref.idx);
	if (created) return created.name;
	if (pass.creator?.idx === ref.idx) return pass.creator.name;
	if (ref.idx < pass.blueprint.definitions.length)
		return (pass.blueprint.definitions[ref.idx] as StepDefinition).name;
	return pass.store.getStep(ref.uuid)?.name ?? "";
}

/** A parent that already satisfies its dependents; the creator is still in flight, so it does not. */
function isSatisfied(pass: Pass, ref: StepRef): boolean {
	if (pass.createdIdx.has(ref.idx)) return false;
	if (pass.creator !== null && pass.creator.idx === ref.idx) return false;
	const step = pass.store.getStep(ref.uuid);
	return step !== null && satisfiesDependents(step.state);
}
