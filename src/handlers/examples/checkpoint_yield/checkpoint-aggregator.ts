// Checkpoint yield, the convergence step: totals what the workers processed, and checks that every
// item was processed exactly once across checkpoints and retries.
import { type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";

interface WorkerResult {
	items_processed?: number;
	no_op?: boolean;
	batch_metadata?: { running_total: number; item_ids: string[]; checkpoints_used: number };
}

export class CheckpointYieldAggregatorHandler extends StepHandler {
	static override handlerName = "Examples.checkpoint_yield.step_handlers.CheckpointYieldAggregatorHandler";

	call(context: StepContext): StepHandlerResult {
		const workers = Object.entries(context.dependencyResults)
			.filter(([name]) => name.startsWith("checkpoint_yield_batch_"))
			.map(([, result]) => result as WorkerResult)
			.filter((w) => !w.no_op);
		if (workers.length === 0) {
			return StepHandlerResult.success({
				scenario: "no_batches",
				total_processed: 0,
				running_total: 0,
				test_passed: true,
			});
		}
		const ids = workers.flatMap((w) => w.batch_metadata?.item_ids ?? []);
		const totalProcessed = workers.reduce((t, w) => t + (w.items_processed ?? 0), 0);
		return StepHandlerResult.success({
			scenario: "with_batches",
			worker_count: workers.length,
			total_processed: totalProcessed,
			running_total: workers.reduce((t, w) => t + (w.batch_metadata?.running_total ?? 0), 0),
			item_count: ids.length,
			unique_items: new Set(ids).size,
			checkpoints_used: workers.reduce((t, w) => t + (w.batch_metadata?.checkpoints_used ?? 0), 0),
			test_passed: ids.length === totalProcessed && new Set(ids).size === ids.length,
		});
	}
}
