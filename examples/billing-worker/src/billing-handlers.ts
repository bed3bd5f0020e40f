// The billing namespace's handlers (examples/billing-worker/templates/invoice_order.yaml). They live only in this
// Worker: the orchestrator knows the template, not these classes.
import { PermanentError, type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";

/** Says which Worker ran a step: the end-to-end test checks that billing steps ran here. */
export const BILLING_WORKER = "tasker-billing";

interface Line {
	sku: string;
	price: number;
	quantity: number;
}

const cents = (amount: number) => Math.round(amount * 100) / 100;

export class PriceLinesHandler extends StepHandler {
	static override handlerName = "PriceLinesHandler";

	call(context: StepContext): StepHandlerResult {
		const lines = context.getInput<Line[]>("lines");
		if (!Array.isArray(lines) || lines.length === 0) {
			throw new PermanentError("the order has no lines", { errorCode: "NO_LINES" });
		}
		const subtotal = cents(lines.reduce((sum, line) => sum + line.price * line.quantity, 0));
		return StepHandlerResult.success({ subtotal, lines: lines.length, priced_by: BILLING_WORKER });
	}
}

export class ApplyTaxHandler extends StepHandler {
	static override handlerName = "ApplyTaxHandler";

	call(context: StepContext): StepHandlerResult {
		const { subtotal } = context.requireDependencyResult<{ subtotal: number }>("price_lines");
		const country = context.getInputOr("country", "NL");
		const rate = context.getConfig<Record<string, number>>("rates")?.[country];
		if (rate === undefined) {
			throw new PermanentError(`no tax rate for country "${country}"`, { errorCode: "UNKNOWN_COUNTRY" });
		}
		return StepHandlerResult.success({ rate, tax: cents(subtotal * rate) });
	}
}

export class ApplyDiscountHandler extends StepHandler {
	static override handlerName = "ApplyDiscountHandler";

	call(context: StepContext): StepHandlerResult {
		const { subtotal } = context.requireDependencyResult<{ subtotal: number }>("price_lines");
		const percent = context.getInputOr("discount_percent", 0);
		return StepHandlerResult.success({ discount: cents((subtotal * percent) / 100) });
	}
}

export class IssueInvoiceHandler extends StepHandler {
	static override handlerName = "IssueInvoiceHandler";

	call(context: StepContext): StepHandlerResult {
		const { subtotal } = context.requireDependencyResult<{ subtotal: number }>("price_lines");
		const { tax } = context.requireDependencyResult<{ tax: number }>("apply_tax");
		const { discount } = context.requireDependencyResult<{ discount: number }>("apply_discount");
		return StepHandlerResult.success({
			// Keyed on the step's idempotency key: a retry issues the same invoice, never a second one.
			invoice_number: `INV-${context.idempotencyKey.slice(-12).toUpperCase()}`,
			total: cents(subtotal - discount + tax),
			issued_by: BILLING_WORKER,
		});
	}
}
