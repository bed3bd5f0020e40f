// A decision step's result, read in the reference's wire shape:
// `decision_point_outcome: {type: "create_steps", step_names: [...]} | {type: "no_branches"}`.
import { MAX_STEPS_PER_DECISION } from "../limits";
import { dynamicStepError } from "./dynamic-errors";
import type { SerializedStepError } from "./step-outcome";
import type { WorkflowPlan } from "./workflow-plan";

export type DecisionChoice = { ok: true; stepNames: string[] } | { ok: false; error: SerializedStepError };

/** The names a decision chose, checked against its segment of the template (deduplicated, in template order). */
export function readDecision(plan: WorkflowPlan, decision: string, result: unknown): DecisionChoice {
	const outcome = isRecord(result) ? result.decision_point_outcome : undefined;
	const fail = (code: string, message: string, metadata: Record<string, unknown> = {}): DecisionChoice => ({
		ok: false,
		error: dynamicStepError("DecisionPointError", code, message, { decision: decision, ...metadata }),
	});
	if (!isRecord(outcome)) {
		return fail(
			"missing_decision_outcome",
			`decision step "${decision}" returned no decision_point_outcome: expected {type: "create_steps", step_names: [...]} or {type: "no_branches"} in its result`,
		);
	}
	if (outcome.type === "no_branches") return { ok: true, stepNames: [] };
	if (outcome.type !== "create_steps") {
		return fail(
			"invalid_decision_outcome",
			`decision step "${decision}" returned decision_point_outcome.type ${JSON.stringify(outcome.type) ?? "nothing"}: expected "create_steps" or "no_branches"`,
		);
	}
	const names = outcome.step_names;
	if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === "string")) {
		return fail(
			"invalid_decision_outcome",
			`decision step "${decision}" returned create_steps without step_names: expected a non-empty list of step names (or type "no_branches")`,
		);
	}
	const segment = plan.segments[decision] ?? [];
	const allowed = new Set(segment);
	const invalid = names.find((n) => !allowed.has(n));
	if (invalid !== undefined) {
		return fail(
			"invalid_descendant",
			`step "${invalid}" is not a valid descendant of decision point "${decision}" (it may choose: ${segment.length === 0 ? "nothing" : segment.join(", ")})`,
			{ step_name: invalid },
		);
	}
	if (new Set(names).size > MAX_STEPS_PER_DECISION) {
		return fail(
			"too_many_steps",
			`decision step "${decision}" chose ${new Set(names).size} steps; at most ${MAX_STEPS_PER_DECISION} (MAX_STEPS_PER_DECISION)`,
		);
	}
	const chosen = new Set(names as string[]);
	return { ok: true, stepNames: segment.filter((n) => chosen.has(n)) };
}

/**
 * The chosen steps and every step after them within the decision's segment, in dependency order (a
 * nested decision is created, its own branches are not). Convergence steps come later, by their own rule.
 */
export function branchClosure(plan: WorkflowPlan, decision: string, chosen: readonly string[]): string[] {
	const byName = new Map(plan.steps.map((s) => [s.name, s]));
	const members = new Set(plan.segments[decision] ?? []);
	const include = new Set<string>();
	const stack = [...chosen];
	while (stack.length > 0) {
		const name = stack.pop() as string;
		if (include.has(name) || !members.has(name)) continue;
		include.add(name);
		const step = byName.get(name);
		if (step && step.type !== "decision") stack.push(...step.children);
	}
	return inDependencyOrder(plan, include);
}

/** The given template steps, parents before children. */
export function inDependencyOrder(plan: WorkflowPlan, names: ReadonlySet<string>): string[] {
	const byName = new Map(plan.steps.map((s) => [s.name, s]));
	const order: string[] = [];
	const done = new Set<string>();
	const visit = (name: string): void => {
		const stack: Array<{ name: string; expanded: boolean }> = [{ name, expanded: false }];
		while (stack.length > 0) {
			const top = stack.pop() as { name: string; expanded: boolean };
			if (done.has(top.name)) continue;
			if (top.expanded) {
				done.add(top.name);
				order.push(top.name);
				continue;
			}
			stack.push({ name: top.name, expanded: true });
			for (const dep of byName.get(top.name)?.dependencies ?? []) {
				if (names.has(dep) && !done.has(dep)) stack.push({ name: dep, expanded: false });
			}
		}
	};
	for (const step of plan.steps) if (names.has(step.name)) visit(step.name);
	return order;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
