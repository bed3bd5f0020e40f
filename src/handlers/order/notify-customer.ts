// The order example's confirmation e-mail (simulated), sent once validation has passed.
import { PermanentError, type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";

export class NotifyCustomerHandler extends StepHandler {
	static override handlerName = "NotifyCustomerHandler";

	call(context: StepContext): StepHandlerResult {
		const email = context.getInput("customer_email");
		if (typeof email !== "string" || email.trim() === "") {
			throw new PermanentError("Missing customer_email", { errorCode: "MISSING_INPUT" });
		}
		// Read for its guarantee: no confirmation goes out for an order that failed validation.
		context.requireDependencyResult("validate_order");
		return StepHandlerResult.success({ notified: true, email });
	}
}
