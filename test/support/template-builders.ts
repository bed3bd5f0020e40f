// Compact task templates for tests: a DAG given as { step: [its dependencies] }.
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
