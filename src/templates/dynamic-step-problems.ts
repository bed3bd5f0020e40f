// Template validation of dynamic steps: `type` and `batch_config` normalised, and the rules of the
// compiled plan (what may be created from where) reported with the path of the step that breaks one.
import { compileWorkflowPlan, hasDynamicSteps } from "../core/workflow-plan";
import type { StepDefinition } from "./task-template";
import type { ParsedStep } from "./template-schema";
import type { TemplateProblem } from "./validate-template";

/** The normalised `type` and `batch_config` of a parsed step: left out for a plain standard step. */
export function dynamicStepFields(step: ParsedStep): Pick<StepDefinition, "type" | "batchConfig"> {
	const type = step.type ?? step.step_type;
	const config = step.batch_config;
	return {
		// `standard` is the default: left out, so a template reads the same whether or not it spells it.
		...(type === undefined || type === "standard" ? {} : { type }),
		...(config === undefined
			? {}
			: {
					batchConfig: {
						batchSize: config.batch_size,
						parallelism: config.parallelism,
						cursorField: config.cursor_field,
						workerTemplate: config.worker_template,
						failureStrategy: config.failure_strategy,
					},
				}),
	};
}

export function dynamicStepProblems(steps: readonly StepDefinition[]): TemplateProblem[] {
	if (!hasDynamicSteps({ steps: [...steps] }) && !steps.some((s) => s.batchConfig)) return [];
	return compileWorkflowPlan(steps).problems.map((problem) => ({
		path:
			problem.step === null
				? "steps"
				: `steps[${problem.step}]${problem.key === "" ? "" : `.${problem.key}`}`,
		message: problem.message,
	}));
}
