// Checkpoint yield, the analyzer: one worker over all `total_items` (default 100); none for 0 items.
import { type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";

export class CheckpointYieldAnalyzerHandler extends StepHandler {
	static override handlerName = "Examples.checkpoint_yield.step_handlers.CheckpointYieldAnalyzerHandler";

	call(context: StepContext): StepHandlerResult {
		const total = context.getInputOr<number>("total_items", 100);
		const template = context.getConfig<string>("worker_template_name") ?? "checkpoint_yield_batch";
		if (total <= 0) {
			return StepHandlerResult.success({
				batch_processing_outcome: { type: "no_batches" },
				reason: "no_items_to_process",
			});
		}
		return StepHandlerResult.success({
			batch_processing_outcome: {
				type: "create_batches",
				worker_template_name: template,
				worker_count: 1,
				cursor_configs: [{ batch_id: "001", start_cursor: 0, end_cursor: total, batch_size: total }],
				total_items: total,
			},
			total_items: total,
		});
	}
}
