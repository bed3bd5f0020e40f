// The order example's payment (simulated), charged under an id derived from the step so a retry cannot charge twice.
import { PermanentError, type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";
import { deterministicId } from "./order-ids";
import type { InventoryReservation } from "./reserve-inventory";
import type { OrderValidation } from "./validate-order";

export class ChargePaymentHandler extends StepHandler {
	static override handlerName = "ChargePaymentHandler";

	call(context: StepContext): StepHandlerResult {
		// A transitive ancestor (through reserve_inventory): dependency results include every ancestor.
		const validation = context.requireDependencyResult<OrderValidation>("validate_order");
		const reservation = context.requireDependencyResult<InventoryReservation>("reserve_inventory");
		if (typeof validation?.total !== "number") {
			throw new PermanentError("validate_order's result has no total", {
				errorCode: "INVALID_DEPENDENCY_RESULT",
			});
		}
		return StepHandlerResult.success({
			charged: true,
			amount: validation.total,
			reservation_id: reservation?.reservation_id ?? null,
			transaction_id: deterministicId("TXN", context.idempotencyKey),
		});
	}
}
