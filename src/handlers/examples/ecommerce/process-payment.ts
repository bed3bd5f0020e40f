// E-commerce step 2: charges the cart's total through a simulated gateway. The payment id derives from the
// step's idempotency key, so a retried attempt charges under the same id instead of charging twice.
// Test tokens simulate the gateway's answers: tok_test_declined and tok_test_insufficient_funds fail for
// good, tok_test_network_error is a timeout worth retrying.
import {
	PermanentError,
	RetryableError,
	type StepContext,
	StepHandler,
	StepHandlerResult,
} from "tasker-edge";
import { deterministicId } from "../../order/order-ids";
import type { CartValidation } from "./catalog";

interface PaymentInfo {
	method?: unknown;
	token?: unknown;
	amount?: unknown;
}

export interface PaymentResult {
	payment_id: string;
	transaction_id: string;
	status: "succeeded";
	amount_charged: number;
	currency: "USD";
	payment_method: string;
}

export class ProcessPaymentHandler extends StepHandler {
	static override handlerName = "Ecommerce.StepHandlers.ProcessPaymentHandler";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const payment = context.getInput<PaymentInfo>("payment_info");
		if (typeof payment?.token !== "string" || typeof payment.method !== "string") {
			throw new PermanentError("payment_info needs a method and a token", {
				errorCode: "MISSING_PAYMENT_INFO",
			});
		}
		const cart = context.getDependencyResult<CartValidation>("validate_cart");
		switch (payment.token) {
			case "tok_test_declined":
				throw new PermanentError("payment declined: card was declined by the issuer", {
					errorCode: "CARD_DECLINED",
				});
			case "tok_test_insufficient_funds":
				throw new PermanentError("payment failed: insufficient funds", { errorCode: "INSUFFICIENT_FUNDS" });
			case "tok_test_network_error":
				throw new RetryableError("payment gateway timeout", { errorCode: "GATEWAY_TIMEOUT" });
		}
		const result: PaymentResult = {
			payment_id: deterministicId("PAY", context.idempotencyKey),
			transaction_id: deterministicId("TXN", context.idempotencyKey),
			status: "succeeded",
			amount_charged: cart.total,
			currency: "USD",
			payment_method: payment.method,
		};
		return StepHandlerResult.success(result, { operation: "process_payment", gateway: "simulated" });
	}
}
