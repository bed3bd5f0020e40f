// The smallest workflow (test_scenarios_ts/success_only_ts): one step that always succeeds, echoing the
// task's optional `message`.
import { type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";

export class SuccessStepHandler extends StepHandler {
	static override handlerName = "TestScenarios.StepHandlers.SuccessStepHandler";

	async call(context: StepContext): Promise<StepHandlerResult> {
		return StepHandlerResult.success({
			message: context.getInputOr("message", "Hello from tasker-edge!"),
			handler: "SuccessStepHandler",
			attempt: context.attempt,
		});
	}
}
