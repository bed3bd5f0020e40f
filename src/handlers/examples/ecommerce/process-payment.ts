// E-commerce step 2: charges the cart's total through a simulated gateway. The payment id derives from the
// step's idempotency key, so a retried attempt charges under the same id instead of charging twice.
// Test tokens simulate the gateway's answers: tok_test_declined and tok_test_insufficient_funds fail for
// good, tok_test_network_error is a timeout worth retrying.
import {
	ErrorType,
	PermanentError,
	RetryableError,
	type StepContext,
	StepHandler,
	type StepHandlerResult,
} from "tasker-edge";
import { deterministicId } from "../../order/order-ids";

interface PaymentInfo {
	method?: unknown;
	token?: unknown;
	amount?: unknown;
}

export type PaymentResult = {
	payment_id: string;
	transaction_id: string;
	status: "succeeded";
	amount_charged: number;
	currency: "USD";
	payment_method: string;
};

export class ProcessPaymentHandler extends StepHandler {
	static handlerName = "Examples.Ecommerce.StepHandlers.ProcessPaymentHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const payment = context.getInput<PaymentInfo>("payment_info");
		if (typeof payment?.token !== "string" || typeof payment.method !== "string") {
			throw new PermanentError("payment_info needs a method and a token", {
				errorCode: "MISSING_PAYMENT_INFO",
			});
		}
		const total = context.getDependencyField("validate_cart", "total");
		if (typeof total !== "number") {
			return this.failure("validate_cart's result has no total", ErrorType.PERMANENT_ERROR, false);
		}
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
			amount_charged: total,
			currency: "USD",
			payment_method: payment.method,
		};
		return this.success(result, { operation: "process_payment", gateway: "simulated" });
	}
}
