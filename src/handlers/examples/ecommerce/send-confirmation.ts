// E-commerce step 5: e-mails the order confirmation (simulated), with the order and its lines.
import { type StepContext, StepHandler, type StepHandlerResult } from "tasker-edge";
import { deterministicId } from "../../order/order-ids";
import type { CartValidation } from "./catalog";
import type { OrderRecord } from "./create-order";

export class SendConfirmationHandler extends StepHandler {
	static handlerName = "Examples.Ecommerce.StepHandlers.SendConfirmationHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const customer = context.getInput<{ name?: string }>("customer_info");
		const order = context.requireDependencyResult<OrderRecord>("create_order");
		const cart = context.requireDependencyResult<CartValidation>("validate_cart");
		return this.success(
			{
				email_id: deterministicId("EML", context.idempotencyKey),
				recipient: order.customer_email,
				subject: `Order Confirmation - ${order.order_number}`,
				status: "sent",
				template: "order_confirmation",
				template_data: {
					customer_name: customer?.name ?? null,
					order_number: order.order_number,
					total_amount: order.total_amount,
					items: cart.validated_items,
				},
			},
			{ operation: "send_confirmation" },
		);
	}
}
