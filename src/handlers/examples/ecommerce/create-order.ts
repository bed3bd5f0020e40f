// E-commerce step 4: records the order from everything upstream (the cart, the payment, the reservation):
// a step sees the results of all its ancestors, not only of its direct dependency.
import { PermanentError, type StepContext, StepHandler, type StepHandlerResult } from "tasker-edge";
import { fnv1a64Hex } from "../../order/order-ids";
import type { CartValidation } from "./catalog";
import type { PaymentResult } from "./process-payment";
import type { InventoryUpdate } from "./update-inventory";

export type OrderRecord = {
	order_number: string;
	status: "confirmed";
	total_amount: number;
	item_count: number;
	customer_email: string;
	payment_id: string;
	reservation_id: string;
};

export class CreateOrderHandler extends StepHandler {
	static handlerName = "Examples.Ecommerce.StepHandlers.CreateOrderHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const customer = context.getInput<{ email?: unknown }>("customer_info");
		if (typeof customer?.email !== "string") {
			throw new PermanentError("customer_info.email is required", { errorCode: "MISSING_CUSTOMER" });
		}
		const cart = context.requireDependencyResult<CartValidation>("validate_cart");
		const payment = context.requireDependencyResult<PaymentResult>("process_payment");
		const inventory = context.requireDependencyResult<InventoryUpdate>("update_inventory");
		const order: OrderRecord = {
			// One order per task: the number derives from the task, so a retry records the same order.
			order_number: `ORD-${fnv1a64Hex(context.taskUuid).slice(0, 10).toUpperCase()}`,
			status: "confirmed",
			total_amount: cart.total,
			item_count: cart.item_count,
			customer_email: customer.email,
			payment_id: payment.payment_id,
			reservation_id: inventory.reservation_id,
		};
		return this.success(order, { operation: "create_order" });
	}
}
