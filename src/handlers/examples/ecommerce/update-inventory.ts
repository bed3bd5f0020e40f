// E-commerce step 3: reserves stock for every validated cart line (simulated: the catalogue is not changed,
// each reservation reports the stock it would leave).
import { RetryableError, type StepContext, StepHandler, type StepHandlerResult } from "tasker-edge";
import { deterministicId } from "../../order/order-ids";
import { type CartValidation, PRODUCTS } from "./catalog";

export type InventoryUpdate = {
	updated_products: Array<{
		product_id: number;
		name: string;
		previous_stock: number;
		new_stock: number;
		quantity_reserved: number;
	}>;
	total_items_reserved: number;
	reservation_id: string;
};

export class UpdateInventoryHandler extends StepHandler {
	static handlerName = "Examples.Ecommerce.StepHandlers.UpdateInventoryHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const cart = context.requireDependencyResult<CartValidation>("validate_cart");
		const updated = cart.validated_items.map((line) => {
			const stock = PRODUCTS.get(line.product_id)?.stock ?? 0;
			if (stock < line.quantity) {
				throw new RetryableError(`stock of ${line.name} fell to ${stock} before it could be reserved`, {
					errorCode: "OUT_OF_STOCK",
				});
			}
			return {
				product_id: line.product_id,
				name: line.name,
				previous_stock: stock,
				new_stock: stock - line.quantity,
				quantity_reserved: line.quantity,
			};
		});
		const result: InventoryUpdate = {
			updated_products: updated,
			total_items_reserved: updated.reduce((sum, product) => sum + product.quantity_reserved, 0),
			reservation_id: deterministicId("RSV", context.idempotencyKey),
		};
		return this.success(result, { operation: "update_inventory" });
	}
}
