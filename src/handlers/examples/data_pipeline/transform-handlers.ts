// The data pipeline's three transform steps, one per extract: each reshapes its source's raw records into
// the figures the aggregation needs.
import { type StepContext, StepHandler, type StepHandlerResult } from "tasker-edge";
import { type CustomerRecord, groupBy, type SaleRecord, type StockRecord, sum } from "./sample-sources";

const recordsOf = <T>(context: StepContext, step: string): T[] =>
	context.requireDependencyResult<{ records: T[] }>(step).records;

/** Sales by day and by product, and the revenue. */
export class TransformSalesHandler extends StepHandler {
	static handlerName = "Examples.DataPipeline.StepHandlers.TransformSalesHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const sales = recordsOf<SaleRecord>(context, "extract_sales_data");
		const daily = Object.fromEntries(
			[...groupBy(sales, (s) => s.date)].map(([date, day]) => [
				date,
				{ total_amount: sum(day.map((s) => s.amount)), order_count: day.length },
			]),
		);
		const byProduct = Object.fromEntries(
			[...groupBy(sales, (s) => s.product_id)].map(([product, rows]) => [
				product,
				{ total_quantity: sum(rows.map((s) => s.quantity)), total_revenue: sum(rows.map((s) => s.amount)) },
			]),
		);
		return this.success({
			record_count: sales.length,
			daily_sales: daily,
			product_sales: byProduct,
			total_revenue: sum(sales.map((s) => s.amount)),
		});
	}
}

/** Stock by product across warehouses, and the products whose total is below their summed reorder points. */
export class TransformInventoryHandler extends StepHandler {
	static handlerName = "Examples.DataPipeline.StepHandlers.TransformInventoryHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const stock = recordsOf<StockRecord>(context, "extract_inventory_data");
		const byProduct = Object.fromEntries(
			[...groupBy(stock, (s) => s.product_id)].map(([product, rows]) => {
				const onHand = sum(rows.map((s) => s.quantity_on_hand));
				return [
					product,
					{
						total_quantity: onHand,
						warehouse_count: rows.length,
						needs_reorder: onHand < sum(rows.map((s) => s.reorder_point)),
					},
				];
			}),
		);
		return this.success({
			record_count: stock.length,
			product_inventory: byProduct,
			total_quantity_on_hand: sum(stock.map((s) => s.quantity_on_hand)),
			reorder_alerts: Object.values(byProduct).filter((p) => p.needs_reorder).length,
		});
	}
}

/** Customers by tier and by value segment (high ≥ 10 000, medium ≥ 1 000, low below). */
export class TransformCustomersHandler extends StepHandler {
	static handlerName = "Examples.DataPipeline.StepHandlers.TransformCustomersHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const customers = recordsOf<CustomerRecord>(context, "extract_customer_data");
		const tiers = Object.fromEntries(
			[...groupBy(customers, (c) => c.tier)].map(([tier, rows]) => [
				tier,
				{ customer_count: rows.length, total_lifetime_value: sum(rows.map((c) => c.lifetime_value)) },
			]),
		);
		const values = customers.map((c) => c.lifetime_value);
		return this.success({
			record_count: customers.length,
			tier_analysis: tiers,
			value_segments: {
				high_value: values.filter((v) => v >= 10_000).length,
				medium_value: values.filter((v) => v >= 1_000 && v < 10_000).length,
				low_value: values.filter((v) => v < 1_000).length,
			},
			total_lifetime_value: sum(values),
		});
	}
}
