// The smallest workflow (test_scenarios_example/success_only_ts): one step that always succeeds, echoing the
// task's optional `message`.
import { type StepContext, StepHandler, type StepHandlerResult } from "tasker-edge";

export class SuccessStepHandler extends StepHandler {
	static handlerName = "Examples.TestScenarios.StepHandlers.SuccessStepHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		return this.success({
			message: context.getInputOr("message", "Hello from tasker-edge!"),
			handler: "SuccessStepHandler",
			attempt: context.attempt,
		});
	}
}
