// Runs a registered template's steps one after another in plain Node, with the project's own handlers and the
// inputs the consumer would hand them (the task context, the step's initialization, the results of its
// ancestors, the method its `handler.method` names): the handlers' computations checked without a Worker. Steps run in the order of a topological
// sort; the first failure stops the run.
import type { StepOutcome, StepRunInput } from "../../src/core/step-outcome";
import { handlerModules, templates } from "../../src/generated/registry";
import { runStepHandler } from "../../src/handler-api/run-step-handler";
import { buildHandlerRegistry } from "../../src/registry/handler-registry";
import type { StepDefinition, TaskTemplate } from "../../src/templates/task-template";

const handlers = buildHandlerRegistry(handlerModules);

export const TASK_UUID = "0195f0a0-0000-7000-8000-00000000e2e0";

export interface InProcessRun {
	/** The results of the steps that succeeded, by step name. */
	results: Record<string, Record<string, unknown>>;
	/** The outcome of every step that ran, in run order. */
	outcomes: Array<{ step: string; outcome: StepOutcome }>;
	/** The first failed step's outcome, if any. */
	failure: { step: string; outcome: Extract<StepOutcome, { success: false }> } | null;
}

export function registeredTemplate(namespace: string, name: string): TaskTemplate {
	const template = templates.find((t) => t.namespace === namespace && t.name === name);
	if (template === undefined) throw new Error(`no template ${namespace}/${name} is registered`);
	return template;
}

export async function runTemplateInProcess(
	template: TaskTemplate,
	context: Record<string, unknown>,
): Promise<InProcessRun> {
	const run: InProcessRun = { results: {}, outcomes: [], failure: null };
	for (const step of topologicalOrder(template.steps)) {
		const handler = handlers.get(step.callable);
		if (handler === undefined) throw new Error(`no handler ${step.callable} for ${step.name}`);
		const dependencyResults = Object.fromEntries(
			[...ancestors(template.steps, step.name)].map((name) => [name, run.results[name]]),
		);
		const input: StepRunInput = {
			task_uuid: TASK_UUID,
			step_uuid: `step-${step.name}`,
			step_name: step.name,
			namespace: template.namespace,
			task_name: template.name,
			task_version: template.version,
			correlation_id: "corr-in-process",
			callable: step.callable,
			initialization: step.initialization,
			context,
			dependency_results: dependencyResults,
			attempt: 1,
			max_attempts: step.retry.maxAttempts,
			timeout_seconds: step.timeoutSeconds,
			...(step.method === undefined ? {} : { method: step.method }),
		};
		const outcome = await runStepHandler(handler, input);
		run.outcomes.push({ step: step.name, outcome });
		if (!outcome.success) {
			run.failure = { step: step.name, outcome };
			return run;
		}
		run.results[step.name] = outcome.result as Record<string, unknown>;
	}
	return run;
}

function topologicalOrder(steps: readonly StepDefinition[]): StepDefinition[] {
	const done = new Set<string>();
	const order: StepDefinition[] = [];
	while (order.length < steps.length) {
		const ready = steps.filter((s) => !done.has(s.name) && s.dependencies.every((d) => done.has(d)));
		if (ready.length === 0) throw new Error("the template's steps have a cycle");
		for (const step of ready) {
			done.add(step.name);
			order.push(step);
		}
	}
	return order;
}

function ancestors(steps: readonly StepDefinition[], name: string, found = new Set<string>()): Set<string> {
	for (const parent of steps.find((s) => s.name === name)?.dependencies ?? []) {
		if (!found.has(parent)) {
			found.add(parent);
			ancestors(steps, parent, found);
		}
	}
	return found;
}
