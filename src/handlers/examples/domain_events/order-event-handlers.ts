// The domain events example (domain_events_example): an order workflow whose steps declare, in the template's
// `publishes_events`, the events their completion publishes. The handlers only do their work: publishing
// is the engine's, after the step's result is saved, with the result as the event's payload (so each
// result carries what its events' schemas ask for). A failed publication never fails the step.
import { PermanentError, type StepContext, StepHandler, type StepHandlerResult } from "tasker-edge";
import { deterministicId } from "../../order/order-ids";

type ValidatedOrder = {
	order_id: string;
	customer_id: string;
	amount: number;
	validated: true;
	validated_at: string;
};

/** Publishes order.validated on success. */
export class ValidateOrderHandler extends StepHandler {
	static handlerName = "Examples.domain_events.step_handlers.ValidateOrderHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const orderId = context.getInput<unknown>("order_id");
		const customerId = context.getInput<unknown>("customer_id");
		const amount = context.getInput<unknown>("amount");
		const problems = [
			typeof orderId === "string" && orderId !== "" ? null : "order_id is required",
			typeof customerId === "string" && customerId !== "" ? null : "customer_id is required",
			typeof amount === "number" && amount > 0 ? null : "amount must be a positive number",
		].filter((problem) => problem !== null);
		if (problems.length > 0) {
			throw new PermanentError(problems.join("; "), { errorCode: "INVALID_ORDER" });
		}
		const order: ValidatedOrder = {
			order_id: orderId as string,
			customer_id: customerId as string,
			amount: amount as number,
			validated: true,
			validated_at: new Date().toISOString(),
		};
		return this.success(order);
	}
}

/** Publishes payment.processed on success (and the template declares payment.failed for a failure). */
export class ProcessPaymentHandler extends StepHandler {
	static handlerName = "Examples.domain_events.step_handlers.ProcessPaymentHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const order = context.requireDependencyResult<ValidatedOrder>("domain_events_ts_validate_order");
		return this.success({
			order_id: order.order_id,
			payment_id: deterministicId("PAY", context.idempotencyKey),
			amount: order.amount,
			payment_status: "completed",
			processed_at: new Date().toISOString(),
		});
	}
}

/** Publishes inventory.updated whatever the outcome (an audit trail). */
export class UpdateInventoryHandler extends StepHandler {
	static handlerName = "Examples.domain_events.step_handlers.UpdateInventoryHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const order = context.requireDependencyResult<ValidatedOrder>("domain_events_ts_validate_order");
		const items = context.getInputOr<unknown[]>("items", []);
		return this.success({
			order_id: order.order_id,
			items_updated: items.length,
			inventory_status: "updated",
			updated_at: new Date().toISOString(),
		});
	}
}

/** Publishes notification.sent on success. */
export class SendNotificationHandler extends StepHandler {
	static handlerName = "Examples.domain_events.step_handlers.SendNotificationHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const order = context.requireDependencyResult<ValidatedOrder>("domain_events_ts_validate_order");
		const channels = context.getConfig<string[]>("notification_channels") ?? ["email"];
		return this.success({
			order_id: order.order_id,
			customer_id: order.customer_id,
			channels,
			notification_status: "sent",
			sent_at: new Date().toISOString(),
		});
	}
}
