// The error scenarios (test_scenarios_example): handlers that always fail, one permanently (the step goes to
// error after its first attempt), one retryably (retried to its template's max_attempts, then error). They
// report the failure with `this.failure` rather than throwing, with the task's optional `error_message`.
import { ErrorType, type StepContext, StepHandler, type StepHandlerResult } from "tasker-edge";

export class PermanentErrorHandler extends StepHandler {
	static handlerName = "Examples.test_errors.step_handlers.PermanentErrorHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		return this.failure(
			context.getInputOr("error_message", "Permanent error - no retry allowed"),
			ErrorType.PERMANENT_ERROR,
			false,
			{ scenario: "permanent_error", attempt: context.attempt },
		);
	}
}

export class RetryableErrorHandler extends StepHandler {
	static handlerName = "Examples.test_errors.step_handlers.RetryableErrorHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		return this.failure(
			context.getInputOr("error_message", "Retryable error - will be retried"),
			ErrorType.RETRYABLE_ERROR,
			true,
			{ scenario: "retryable_error", attempt: context.attempt },
		);
	}
}
