// Batch processing, the convergence step: sums the results of every worker that was created.
import { type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";

interface BatchResult {
	items_processed?: number;
	total_quantity?: number;
	inventory_value_cents?: number;
	no_op?: boolean;
}

export class CsvResultsAggregatorHandler extends StepHandler {
	static override handlerName = "Examples.batch_processing.step_handlers.CsvResultsAggregatorHandler";

	call(context: StepContext): StepHandlerResult {
		const workers = Object.entries(context.dependencyResults)
			.filter(([name]) => name.startsWith("process_csv_batch_"))
			.map(([, result]) => result as BatchResult);
		const real = workers.filter((w) => !w.no_op);
		const sum = (key: keyof BatchResult) =>
			real.reduce((total, w) => total + ((w[key] as number | undefined) ?? 0), 0);
		return StepHandlerResult.success({
			scenario: real.length === 0 ? "no_batches" : "with_batches",
			worker_count: real.length,
			total_processed: sum("items_processed"),
			total_quantity: sum("total_quantity"),
			total_inventory_value_cents: sum("inventory_value_cents"),
		});
	}
}
