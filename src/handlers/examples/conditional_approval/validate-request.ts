// Approval routing, step 1: the request must name a positive amount, a requester and a purpose.
import { PermanentError, type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";

export class ValidateRequestHandler extends StepHandler {
	static override handlerName = "Examples.conditional_approval.step_handlers.ValidateRequestHandler";

	call(context: StepContext): StepHandlerResult {
		const amount = context.getInput("amount");
		const requester = context.getInput("requester");
		const purpose = context.getInput("purpose");
		if (typeof amount !== "number" || !Number.isFinite(amount) || amount <= 0) {
			throw new PermanentError(
				`amount must be a number above 0, got ${JSON.stringify(amount) ?? "nothing"}`,
				{
					errorCode: "INVALID_AMOUNT",
				},
			);
		}
		if (typeof requester !== "string" || requester === "" || typeof purpose !== "string" || purpose === "") {
			throw new PermanentError("requester and purpose must be non-empty strings", {
				errorCode: "MISSING_FIELD",
			});
		}
		return StepHandlerResult.success({ validated: true, amount, requester, purpose });
	}
}
