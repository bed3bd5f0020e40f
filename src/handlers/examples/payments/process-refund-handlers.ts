// The payments team's refund workflow (the reference's blog post 04, "team scaling"): same workflow name as
// the customer success team's, its own namespace. It checks the payment can be refunded, refunds it through
// the (simulated) gateway, updates the payment records and tells the customer. Special payment ids simulate
// the gateway's other answers (pay_test_insufficient, pay_test_processing, pay_test_ineligible,
// pay_test_gateway_timeout, pay_test_gateway_error).
import {
	PermanentError,
	RetryableError,
	type StepContext,
	StepHandler,
	type StepHandlerResult,
} from "tasker-edge";
import { deterministicId } from "../../order/order-ids";

const PAYMENT_ID = /^pay_[a-zA-Z0-9_]+$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;

type Eligibility = {
	payment_validated: true;
	payment_id: string;
	refund_amount: number;
	partial_refund: boolean;
	eligibility_status: "eligible";
};

type GatewayRefund = {
	refund_processed: true;
	refund_id: string;
	payment_id: string;
	refund_amount: number;
	refund_status: "processed";
};

export class ValidatePaymentEligibilityHandler extends StepHandler {
	static handlerName = "Examples.TeamScaling.Payments.StepHandlers.ValidatePaymentEligibilityHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const paymentId = context.getInput<unknown>("payment_id");
		const amount = context.getInput<unknown>("refund_amount");
		if (typeof paymentId !== "string" || !PAYMENT_ID.test(paymentId)) {
			throw new PermanentError(`payment_id must look like pay_xxx (got ${JSON.stringify(paymentId)})`, {
				errorCode: "INVALID_PAYMENT_ID",
			});
		}
		if (typeof amount !== "number" || !(amount > 0)) {
			throw new PermanentError(
				`refund_amount must be a positive number of cents (got ${JSON.stringify(amount)})`,
				{
					errorCode: "INVALID_AMOUNT",
				},
			);
		}
		if (paymentId.includes("pay_test_insufficient")) {
			throw new PermanentError("insufficient funds for the refund", { errorCode: "INSUFFICIENT_FUNDS" });
		}
		if (paymentId.includes("pay_test_ineligible")) {
			throw new PermanentError("payment is past its refund window", { errorCode: "NOT_REFUNDABLE" });
		}
		if (paymentId.includes("pay_test_processing")) {
			throw new RetryableError("payment is still processing", { errorCode: "PAYMENT_PROCESSING" });
		}
		const eligibility: Eligibility = {
			payment_validated: true,
			payment_id: paymentId,
			refund_amount: amount,
			partial_refund: context.getInputOr("partial_refund", false),
			eligibility_status: "eligible",
		};
		return this.success(eligibility, { service: "payment_gateway" });
	}
}

export class ProcessGatewayRefundHandler extends StepHandler {
	static handlerName = "Examples.TeamScaling.Payments.StepHandlers.ProcessGatewayRefundHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const eligibility = context.requireDependencyResult<Eligibility>("validate_payment_eligibility");
		if (eligibility.payment_id.includes("pay_test_gateway_timeout")) {
			throw new RetryableError("gateway timeout", { errorCode: "GATEWAY_TIMEOUT" });
		}
		if (eligibility.payment_id.includes("pay_test_gateway_error")) {
			throw new PermanentError("gateway refused the refund", { errorCode: "GATEWAY_ERROR" });
		}
		const refund: GatewayRefund = {
			refund_processed: true,
			// From the step's idempotency key: the gateway sees the same refund id on a retry, not a second refund.
			refund_id: deterministicId("RFD", context.idempotencyKey),
			payment_id: eligibility.payment_id,
			refund_amount: eligibility.refund_amount,
			refund_status: "processed",
		};
		return this.success(refund, { service: "payment_gateway" });
	}
}

export class UpdatePaymentRecordsHandler extends StepHandler {
	static handlerName = "Examples.TeamScaling.Payments.StepHandlers.UpdatePaymentRecordsHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const refund = context.requireDependencyResult<GatewayRefund>("process_gateway_refund");
		return this.success({
			records_updated: true,
			payment_id: refund.payment_id,
			refund_id: refund.refund_id,
			payment_status: "refunded",
			refund_reason: context.getInputOr("refund_reason", "customer_request"),
		});
	}
}

export class NotifyCustomerHandler extends StepHandler {
	static handlerName = "Examples.TeamScaling.Payments.StepHandlers.NotifyCustomerHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const email = context.getInput<unknown>("customer_email");
		if (typeof email !== "string" || !EMAIL.test(email)) {
			throw new PermanentError(`customer_email must be an e-mail address (got ${JSON.stringify(email)})`, {
				errorCode: "INVALID_EMAIL",
			});
		}
		const refund = context.requireDependencyResult<GatewayRefund>("process_gateway_refund");
		return this.success({
			notification_sent: true,
			recipient: email,
			message_id: deterministicId("MSG", context.idempotencyKey),
			subject: `Your refund of ${(refund.refund_amount / 100).toFixed(2)} is on its way`,
			refund_id: refund.refund_id,
		});
	}
}
