// The data pipeline's three extract steps: roots of the DAG with no dependencies, so they all start at once.
// Sales are limited to the task's date_range (inclusive ISO dates), when it gives one.
import { PermanentError, type StepContext, StepHandler, type StepHandlerResult } from "tasker-edge";
import { CUSTOMERS, SALES, STOCK, sum } from "./sample-sources";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class ExtractSalesDataHandler extends StepHandler {
	static handlerName = "Examples.DataPipeline.StepHandlers.ExtractSalesDataHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const range = context.getInput<{ start_date?: unknown; end_date?: unknown }>("date_range");
		const start = dateBound(range?.start_date, "start_date") ?? "0000-01-01";
		const end = dateBound(range?.end_date, "end_date") ?? "9999-12-31";
		// ISO dates compare as strings.
		const records = SALES.filter((sale) => sale.date >= start && sale.date <= end);
		return this.success(
			{
				records,
				source: "sales_database",
				total_amount: sum(records.map((r) => r.amount)),
				date_range: { start_date: start, end_date: end },
			},
			{ operation: "extract_sales", records_extracted: records.length },
		);
	}
}

export class ExtractInventoryDataHandler extends StepHandler {
	static handlerName = "Examples.DataPipeline.StepHandlers.ExtractInventoryDataHandler";
	static handlerVersion = "1.0.0";

	async call(): Promise<StepHandlerResult> {
		return this.success(
			{
				records: STOCK,
				source: "warehouse_system",
				total_quantity: sum(STOCK.map((r) => r.quantity_on_hand)),
				warehouses: [...new Set(STOCK.map((r) => r.warehouse))],
			},
			{ operation: "extract_inventory", records_extracted: STOCK.length },
		);
	}
}

export class ExtractCustomerDataHandler extends StepHandler {
	static handlerName = "Examples.DataPipeline.StepHandlers.ExtractCustomerDataHandler";
	static handlerVersion = "1.0.0";

	async call(): Promise<StepHandlerResult> {
		return this.success(
			{ records: CUSTOMERS, source: "crm", total_customers: CUSTOMERS.length },
			{ operation: "extract_customers", records_extracted: CUSTOMERS.length },
		);
	}
}

function dateBound(value: unknown, field: string): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value !== "string" || !ISO_DATE.test(value)) {
		throw new PermanentError(
			`date_range.${field} must be a date such as 2025-11-01 (got ${JSON.stringify(value)})`,
			{
				errorCode: "INVALID_DATE_RANGE",
			},
		);
	}
	return value;
}
