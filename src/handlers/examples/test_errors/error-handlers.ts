// The error scenarios (test_scenarios_ts): handlers that always fail, one permanently (the step goes to
// error after its first attempt), one retryably (retried to its template's max_attempts, then error). They
// report the failure as a result rather than throwing, with the task's optional `error_message`.
import { type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";

export class PermanentErrorHandler extends StepHandler {
	static override handlerName = "test_errors.step_handlers.PermanentErrorHandler";

	async call(context: StepContext): Promise<StepHandlerResult> {
		return StepHandlerResult.failure(
			context.getInputOr("error_message", "Permanent error - no retry allowed"),
			{
				errorType: "permanent_error",
				retryable: false,
				metadata: { scenario: "permanent_error", attempt: context.attempt },
			},
		);
	}
}

export class RetryableErrorHandler extends StepHandler {
	static override handlerName = "test_errors.step_handlers.RetryableErrorHandler";

	async call(context: StepContext): Promise<StepHandlerResult> {
		return StepHandlerResult.failure(
			context.getInputOr("error_message", "Retryable error - will be retried"),
			{
				errorType: "retryable_error",
				retryable: true,
				metadata: { scenario: "retryable_error", attempt: context.attempt },
			},
		);
	}
}
