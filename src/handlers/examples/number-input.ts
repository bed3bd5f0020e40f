// Reading the numbers the mathematical examples (linear, diamond) pass along: a value that is missing or
// not a finite number is a bug in the template or an upstream step, which no retry can fix.
import { PermanentError, type StepContext } from "tasker-edge";

/** The task input `even_number`, checked to be an even integer. */
export function evenNumberInput(context: StepContext): number {
	const value = context.getInput<unknown>("even_number");
	if (typeof value !== "number" || !Number.isInteger(value)) {
		throw new PermanentError(`even_number must be an integer (got ${JSON.stringify(value) ?? "nothing"})`, {
			errorCode: "INVALID_INPUT",
		});
	}
	if (value % 2 !== 0) {
		throw new PermanentError(`even_number must be even (got ${value})`, { errorCode: "INVALID_INPUT" });
	}
	return value;
}

/** `field` of an ancestor step's result (`getDependencyField`), checked to be a finite number. */
export function numberFrom(context: StepContext, stepName: string, field: string): number {
	const value = context.getDependencyField(stepName, field);
	if (typeof value !== "number" || !Number.isFinite(value)) {
		throw new PermanentError(`${stepName}'s result has no number ${field}`, {
			errorCode: "INVALID_DEPENDENCY_RESULT",
			metadata: { step: stepName, field },
		});
	}
	return value;
}

/** A number from the step's `handler.initialization`, or `fallback` when the template leaves it out. */
export function numberConfig(context: StepContext, key: string, fallback: number): number {
	const value = context.getConfig<unknown>(key);
	if (value === undefined) return fallback;
	if (typeof value !== "number" || !Number.isFinite(value)) {
		throw new PermanentError(
			`handler.initialization.${key} must be a number (got ${JSON.stringify(value)})`,
			{
				errorCode: "INVALID_CONFIG",
			},
		);
	}
	return value;
}
