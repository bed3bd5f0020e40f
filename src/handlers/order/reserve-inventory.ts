// The order example's stock reservation, idempotent across retries through an id derived from the step.
import { PermanentError, type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";
import { deterministicId } from "./order-ids";
import type { OrderValidation } from "./validate-order";

export interface InventoryReservation {
	reserved: true;
	reservation_id: string;
	items: Array<{ sku: string | null; quantity: number }>;
}

export class ReserveInventoryHandler extends StepHandler {
	static override handlerName = "ReserveInventoryHandler";

	call(context: StepContext): StepHandlerResult {
		const validation = context.requireDependencyResult<OrderValidation>("validate_order");
		if (validation?.valid !== true) {
			throw new PermanentError("validate_order did not accept the order", { errorCode: "ORDER_NOT_VALID" });
		}
		const items = context.getInput("items");
		if (!Array.isArray(items) || items.length === 0) {
			throw new PermanentError("Missing items", { errorCode: "MISSING_INPUT" });
		}
		const reservation: InventoryReservation = {
			reserved: true,
			reservation_id: deterministicId("RES", context.idempotencyKey),
			items: items.map((item: unknown) => {
				const { sku, quantity } = (item ?? {}) as { sku?: unknown; quantity?: unknown };
				return { sku: typeof sku === "string" ? sku : null, quantity: Number(quantity) };
			}),
		};
		return StepHandlerResult.success(reservation);
	}
}
