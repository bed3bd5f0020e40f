// The data pipeline's convergence: waits for all three transforms and combines their figures.
import { type StepContext, StepHandler, type StepHandlerResult } from "tasker-edge";

export type PipelineMetrics = {
	total_revenue: number;
	sales_transactions: number;
	total_inventory_quantity: number;
	inventory_reorder_alerts: number;
	total_customers: number;
	total_customer_lifetime_value: number;
	revenue_per_customer: number;
	inventory_turnover_indicator: number;
	sources_included: 3;
};

export class AggregateMetricsHandler extends StepHandler {
	static handlerName = "Examples.DataPipeline.StepHandlers.AggregateMetricsHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const sales = context.requireDependencyResult<{ total_revenue: number; record_count: number }>(
			"transform_sales",
		);
		const inventory = context.requireDependencyResult<{
			total_quantity_on_hand: number;
			reorder_alerts: number;
		}>("transform_inventory");
		const customers = context.requireDependencyResult<{ record_count: number; total_lifetime_value: number }>(
			"transform_customers",
		);
		const metrics: PipelineMetrics = {
			total_revenue: sales.total_revenue,
			sales_transactions: sales.record_count,
			total_inventory_quantity: inventory.total_quantity_on_hand,
			inventory_reorder_alerts: inventory.reorder_alerts,
			total_customers: customers.record_count,
			total_customer_lifetime_value: customers.total_lifetime_value,
			revenue_per_customer: ratio(sales.total_revenue, customers.record_count, 2),
			inventory_turnover_indicator: ratio(sales.total_revenue, inventory.total_quantity_on_hand, 4),
			sources_included: 3,
		};
		return this.success(metrics, { operation: "aggregate_metrics" });
	}
}

/** a / b rounded to `digits` decimals; 0 when there is nothing to divide by. */
function ratio(a: number, b: number, digits: number): number {
	const scale = 10 ** digits;
	return b === 0 ? 0 : Math.round((a / b) * scale) / scale;
}
