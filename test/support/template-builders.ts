// Compact task templates for tests: a DAG given as { step: [its dependencies] }, and a create's input for one.
import type { CreateTaskInput } from "../../src/core/create-task";
import { DEFAULT_RETRY, DEFAULT_STEP_TIMEOUT_SECONDS } from "../../src/limits";
import type { RetryPolicy, TaskTemplate } from "../../src/templates/task-template";

export function dagTemplate(
	shape: Record<string, string[]>,
	retry: Partial<RetryPolicy> = {},
	name = "test_dag",
): TaskTemplate {
	return {
		name,
		namespace: "testing",
		version: "1.0.0",
		description: null,
		steps: Object.entries(shape).map(([stepName, dependencies]) => ({
			name: stepName,
			description: null,
			callable: `Handler_${stepName}`,
			initialization: {},
			dependencies,
			retry: { ...DEFAULT_RETRY, ...retry },
			timeoutSeconds: DEFAULT_STEP_TIMEOUT_SECONDS,
		})),
	};
}

/** steps s0 → s1 → ... → s(n-1) */
export function chainShape(n: number): Record<string, string[]> {
	return Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, i === 0 ? [] : [`s${i - 1}`]]));
}

/** A create's input for the engine (createTask): the template and uuid, every other field a plain default. */
export function createInput(taskUuid: string, template: TaskTemplate, source = "test"): CreateTaskInput {
	return {
		taskUuid,
		template,
		context: {},
		initiator: source,
		sourceSystem: source,
		reason: source,
		tags: [],
		priority: 0,
		correlationId: "corr",
		parentCorrelationId: null,
	};
}

/** Step uuids `${prefix}0`, `${prefix}1`, … in creation order. */
export function numberedIds(prefix: string): () => string {
	let i = 0;
	return () => `${prefix}${i++}`;
}
