// Shared by the SDK unit tests: a StepRunInput with sensible defaults, and a way to run a handler class.
import type { StepHandlerClass } from "tasker-edge";
import type { StepOutcome, StepRunInput } from "../../../src/core/step-outcome";
import { runStepHandler } from "../../../src/handler-api/run-step-handler";

export function stepInput(overrides: Partial<StepRunInput> = {}): StepRunInput {
	return {
		task_uuid: "task-1",
		step_uuid: "step-1",
		step_name: "work",
		namespace: "default",
		task_name: "t",
		task_version: "1.0.0",
		correlation_id: "corr-1",
		callable: "TestHandler",
		initialization: {},
		context: {},
		dependency_results: {},
		attempt: 1,
		max_attempts: 3,
		timeout_seconds: 30,
		...overrides,
	};
}

/** A StepOutcome without its timing (distributed, so that `success` still tells the two apart). */
export type UntimedOutcome = StepOutcome extends infer O
	? O extends unknown
		? Omit<O, "execution_time_ms">
		: never
	: never;

/** Runs `handlerClass` as the consumer does and returns the outcome without its timing. */
export async function outcomeOf(
	handlerClass: StepHandlerClass,
	overrides: Partial<StepRunInput> = {},
): Promise<UntimedOutcome> {
	const { execution_time_ms: _time, ...rest } = await runStepHandler(
		handlerClass,
		stepInput({ callable: handlerClass.handlerName, ...overrides }),
	);
	return rest as UntimedOutcome;
}
