// Method dispatch (namespace resolver_tests_example): one handler class with several entry points. A step whose
// template sets `handler.method: validate` runs `validate` instead of `call`; every entry point reports
// which one ran (`invoked_method`), so a test can tell.
import { PermanentError, type StepContext, StepHandler, type StepHandlerResult } from "tasker-edge";
import { deterministicId } from "../../order/order-ids";

/** The processing fee `process` adds, as a fraction of the amount. */
export const PROCESSING_FEE_RATE = 0.1;

interface RefundData {
	amount?: unknown;
	reason?: unknown;
}

export class MultiMethodHandler extends StepHandler {
	static handlerName = "Examples.ResolverTests.StepHandlers.MultiMethodHandler";
	static handlerVersion = "1.0.0";

	/** The default entry point: what a step without `handler.method` runs. */
	async call(context: StepContext): Promise<StepHandlerResult> {
		return this.success({
			invoked_method: "call",
			handler: "MultiMethodHandler",
			input_received: context.getInputOr<RefundData>("data", {}),
			step_number: context.getConfig("step_number") ?? null,
		});
	}

	/** `method: validate`: checks that `data.amount` is a number. */
	async validate(context: StepContext): Promise<StepHandlerResult> {
		const data = context.getInputOr<RefundData>("data", {});
		if (typeof data.amount !== "number") {
			throw new PermanentError("validation failed: data.amount must be a number", {
				errorCode: "INVALID_AMOUNT",
			});
		}
		return this.success({
			invoked_method: "validate",
			handler: "MultiMethodHandler",
			validated: true,
		});
	}

	/** `method: process`: adds the processing fee, computed in cents. */
	async process(context: StepContext): Promise<StepHandlerResult> {
		const amount = amountOf(context);
		const feeCents = Math.round(amount * 100 * PROCESSING_FEE_RATE);
		return this.success({
			invoked_method: "process",
			handler: "MultiMethodHandler",
			original_amount: amount,
			processing_fee: feeCents / 100,
			processed_amount: (Math.round(amount * 100) + feeCents) / 100,
		});
	}

	/** `method: refund`: refunds the amount, for the given reason. */
	async refund(context: StepContext): Promise<StepHandlerResult> {
		const data = context.getInputOr<RefundData>("data", {});
		return this.success({
			invoked_method: "refund",
			handler: "MultiMethodHandler",
			refund_amount: amountOf(context),
			refund_reason: typeof data.reason === "string" ? data.reason : "not_specified",
			refund_id: deterministicId("RFD", context.idempotencyKey),
		});
	}
}

/** A second class, for resolver hints combined with method dispatch. */
export class AlternateMethodHandler extends StepHandler {
	static handlerName = "Examples.ResolverTests.StepHandlers.AlternateMethodHandler";
	static handlerVersion = "1.0.0";

	async call(): Promise<StepHandlerResult> {
		return this.success({ invoked_method: "call", handler: "AlternateMethodHandler" });
	}

	/** `method: execute_action`: runs the task's `action_type`. */
	async execute_action(context: StepContext): Promise<StepHandlerResult> {
		return this.success({
			invoked_method: "execute_action",
			handler: "AlternateMethodHandler",
			action_type: context.getInputOr("action_type", "default_action"),
		});
	}
}

function amountOf(context: StepContext): number {
	const amount = context.getInputOr<RefundData>("data", {}).amount;
	return typeof amount === "number" && Number.isFinite(amount) ? amount : 0;
}
