// Applies a template's `environments.<env>.steps` overrides, as the reference's
// `resolve_for_environment` does: overrides apply in the order written, `name: ALL` to every step,
// `handler.initialization` merged key by key over the step's own, `timeout_seconds` replaced, and
// `retry` replaced whole (keys the override leaves out take their defaults, not the step's values).
import {
	DEFAULT_TASKER_ENV,
	type StepDefinition,
	type StepOverride,
	type TaskTemplate,
} from "./task-template";

/** The step name that makes an override apply to every step. */
export const ALL_STEPS = "ALL";

/** TASKER_ENV as given, or the reference's default when it is unset or blank. */
export function taskerEnvironment(value: unknown): string {
	return typeof value === "string" && value.trim() !== "" ? value.trim() : DEFAULT_TASKER_ENV;
}

/**
 * The template as it runs in `environment`. Always starts from the steps as written (never from a
 * template already resolved for another environment), so resolving twice gives the same result.
 */
export function resolveForEnvironment(template: TaskTemplate, environment: string): TaskTemplate {
	if (template.environment !== undefined) {
		throw new Error(
			`task template ${template.namespace}/${template.name} is already resolved for "${template.environment}"`,
		);
	}
	const overrides = template.environments?.[environment] ?? [];
	if (overrides.length === 0) return { ...template, environment };
	const steps = template.steps.map((step) =>
		overrides.reduce<StepDefinition>(
			(current, override) =>
				override.name === ALL_STEPS || override.name === step.name
					? applyOverride(current, override)
					: current,
			step,
		),
	);
	return { ...template, steps, environment };
}

function applyOverride(step: StepDefinition, override: StepOverride): StepDefinition {
	return {
		...step,
		initialization:
			override.initialization === null
				? step.initialization
				: { ...step.initialization, ...override.initialization },
		timeoutSeconds: override.timeoutSeconds ?? step.timeoutSeconds,
		retry: override.retry ?? step.retry,
	};
}
