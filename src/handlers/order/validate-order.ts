// The order example's first step: checks the order's items and prices it.
import { PermanentError, type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";

export interface OrderValidation {
	valid: true;
	/** In currency units, rounded to cents. */
	total: number;
	item_count: number;
}

export class ValidateOrderHandler extends StepHandler {
	static override handlerName = "ValidateOrderHandler";

	call(context: StepContext): StepHandlerResult {
		const orderId = context.getInput("order_id");
		const items = context.getInput("items");
		if (!orderId || !items || (Array.isArray(items) && items.length === 0)) {
			throw new PermanentError("Missing order_id or items", { errorCode: "MISSING_INPUT" });
		}
		if (!Array.isArray(items)) {
			throw new PermanentError("items must be a list of {sku, price, quantity}", {
				errorCode: "INVALID_ITEM",
			});
		}
		// Summed in whole cents: in floating point, 0.1 * 3 is 0.30000000000000004.
		let totalCents = 0;
		items.forEach((item: unknown, index) => {
			totalCents += lineCents(item, index);
		});
		const validation: OrderValidation = { valid: true, total: totalCents / 100, item_count: items.length };
		return StepHandlerResult.success(validation);
	}
}

function lineCents(item: unknown, index: number): number {
	if (typeof item !== "object" || item === null) {
		throw invalidItem(index, "item", "must be an object");
	}
	const { price, quantity } = item as { price?: unknown; quantity?: unknown };
	if (typeof price !== "number" || !Number.isFinite(price) || price < 0) {
		throw invalidItem(index, "price", `must be a number >= 0 (got ${JSON.stringify(price) ?? "nothing"})`);
	}
	if (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 1) {
		throw invalidItem(
			index,
			"quantity",
			`must be an integer >= 1 (got ${JSON.stringify(quantity) ?? "nothing"})`,
		);
	}
	return Math.round(price * quantity * 100);
}

function invalidItem(index: number, field: string, problem: string): PermanentError {
	return new PermanentError(`items[${index}].${field} ${problem}`, {
		errorCode: "INVALID_ITEM",
		metadata: { item_index: index, field },
	});
}
