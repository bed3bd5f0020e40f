// The order's payment at a provider that answers later (simulated): the handler starts the payment
// under an id derived from the step (a retry starts the same payment, not a second one) and ends by
// waiting for the provider's `payment_confirmed` callback for this order. The callback's payload
// becomes the step's result; the payment id is kept beside it (`handler_result`).
import { PermanentError, type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";
import { deterministicId } from "./order-ids";
import type { OrderValidation } from "./validate-order";

/** A day: a provider that has not answered by then is not going to. */
export const PAYMENT_CALLBACK_TIMEOUT_SECONDS = 86_400;

export class ProcessPaymentHandler extends StepHandler {
	static override handlerName = "ProcessPaymentHandler";

	call(context: StepContext): StepHandlerResult {
		const validation = context.requireDependencyResult<OrderValidation>("validate_order");
		if (typeof validation?.total !== "number") {
			throw new PermanentError("validate_order's result has no total", {
				errorCode: "INVALID_DEPENDENCY_RESULT",
			});
		}
		const paymentId = deterministicId("PAY", context.idempotencyKey);
		return StepHandlerResult.waitForEvent("payment_confirmed", {
			timeoutSeconds: PAYMENT_CALLBACK_TIMEOUT_SECONDS,
			match: "order_id",
			result: { payment_id: paymentId, amount: validation.total, status: "pending" },
		});
	}
}
