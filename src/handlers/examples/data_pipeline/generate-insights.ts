// The data pipeline's last step: turns the aggregated metrics into findings and a health score out of 100
// (40 for revenue per customer of at least 250, 30 for no product to reorder, 30 for an average customer
// lifetime value of at least 3 000).
import { type StepContext, StepHandler, type StepHandlerResult } from "tasker-edge";
import type { PipelineMetrics } from "./aggregate-metrics";

export class GenerateInsightsHandler extends StepHandler {
	static handlerName = "Examples.DataPipeline.StepHandlers.GenerateInsightsHandler";
	static handlerVersion = "1.0.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const m = context.requireDependencyResult<PipelineMetrics>("aggregate_metrics");
		const averageLtv = m.total_customers === 0 ? 0 : m.total_customer_lifetime_value / m.total_customers;
		const score =
			(m.revenue_per_customer >= 250 ? 40 : 0) +
			(m.inventory_reorder_alerts === 0 ? 30 : 0) +
			(averageLtv >= 3_000 ? 30 : 0);
		const insights = [
			{
				category: "revenue",
				finding: `revenue ${m.total_revenue} from ${m.total_customers} customers`,
				metric: m.revenue_per_customer,
			},
			{
				category: "inventory",
				finding:
					m.inventory_reorder_alerts === 0
						? "every product is above its reorder point"
						: `${m.inventory_reorder_alerts} product(s) to reorder`,
				metric: m.inventory_reorder_alerts,
			},
			{ category: "customers", finding: `average lifetime value ${averageLtv}`, metric: averageLtv },
		];
		return this.success({
			insights,
			health_score: { score, max_score: 100, rating: rating(score) },
			pipeline_complete: true,
		});
	}
}

function rating(score: number): string {
	if (score >= 80) return "excellent";
	if (score >= 60) return "good";
	if (score >= 40) return "fair";
	return "needs_attention";
}
