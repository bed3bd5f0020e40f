// A decision's or batch analyzer's successful result creates steps, in the transaction that records
// it: the result is applied once (fenced by attempt), so a duplicate or late copy creates nothing. A
// result that cannot be applied (a name outside the decision's segment, a malformed outcome) fails
// the step for good instead, naming what was wrong, and creates nothing.
import { MAX_STEPS_PER_DECISION } from "../limits";
import { readBatchOutcome } from "./batch-outcome";
import { createDynamicSteps, refsOf } from "./create-dynamic-steps";
import { branchClosure, readDecision } from "./decision-outcome";
import { dynamicStepError } from "./dynamic-errors";
import type { SerializedStepError } from "./step-outcome";
import type { StepRecord, TaskRecord } from "./task-records";
import type { TaskStore } from "./task-store";

export type DynamicResult =
	/** Not a decision or batchable step: nothing to create. */
	| { kind: "none" }
	| { kind: "created"; names: string[]; ready: StepRecord[] }
	| { kind: "rejected"; error: SerializedStepError };

export function applyDynamicResult(
	store: TaskStore,
	task: TaskRecord,
	step: StepRecord,
	result: unknown,
	now: number,
	newStepUuid: () => string,
): DynamicResult {
	if (step.stepType !== "decision" && step.stepType !== "batchable") return { kind: "none" };
	const blueprint = store.loadBlueprint();
	const state = store.loadDynamicState();
	if (!blueprint || !state)
		throw new Error(`task invariant broken: step "${step.name}" is dynamic but its task has no plan`);
	const { plan } = blueprint;
	let wanted: Array<{ template: string; name?: string; stepInputs?: Record<string, unknown> }>;
	if (step.stepType === "decision") {
		const choice = readDecision(plan, step.name, result);
		if (!choice.ok) return { kind: "rejected", error: choice.error };
		const closure = branchClosure(plan, step.name, choice.stepNames).filter(
			(name) => refsOf(state, name).length === 0,
		);
		if (closure.length > MAX_STEPS_PER_DECISION) {
			return {
				kind: "rejected",
				error: dynamicStepError(
					"DecisionPointError",
					"too_many_steps",
					`decision step "${step.name}" would create ${closure.length} steps (its choice and the steps after it); at most ${MAX_STEPS_PER_DECISION} (MAX_STEPS_PER_DECISION)`,
					{ decision: step.name },
				),
			};
		}
		wanted = closure.map((template) => ({ template }));
	} else {
		const batches = readBatchOutcome(plan, step.name, step.initialization, result);
		if (!batches.ok) return { kind: "rejected", error: batches.error };
		wanted = batches.workers;
	}
	const pass = createDynamicSteps(store, task, blueprint, state, wanted, { now, newStepUuid, creator: step });
	return { kind: "created", names: pass.created.map((s) => s.name), ready: pass.ready };
}
