// Batch processing, the analyzer (a batchable step): plans one worker per batch_size rows, each with
// its cursor range; with no rows, no batches (the engine then creates one no-op worker).
import { type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";
import { rowCount } from "./product-rows";

export class CsvAnalyzerHandler extends StepHandler {
	static override handlerName = "batch_processing.step_handlers.CsvAnalyzerHandler";

	call(context: StepContext): StepHandlerResult {
		const rows = rowCount(context.getInput("csv_file_path"), context.getInput("row_count"));
		// A task may ask for smaller batches (the benchmark's 1,000 workers); the template sets the default.
		const asked = context.getInput("batch_size");
		const batchSize =
			typeof asked === "number" && Number.isInteger(asked) && asked > 0
				? asked
				: (context.getConfig<number>("batch_size") ?? 200);
		const template = context.getConfig<string>("worker_template_name") ?? "process_csv_batch";
		if (rows === 0) {
			return StepHandlerResult.success({
				batch_processing_outcome: { type: "no_batches" },
				reason: "no_rows",
				total_rows: 0,
			});
		}
		const cursorConfigs = [];
		for (let start = 0, n = 1; start < rows; start += batchSize, n++) {
			const end = Math.min(rows, start + batchSize);
			cursorConfigs.push({
				batch_id: String(n).padStart(3, "0"),
				start_cursor: start,
				end_cursor: end,
				batch_size: end - start,
			});
		}
		return StepHandlerResult.success({
			batch_processing_outcome: {
				type: "create_batches",
				worker_template_name: template,
				worker_count: cursorConfigs.length,
				cursor_configs: cursorConfigs,
				total_items: rows,
			},
			total_rows: rows,
		});
	}
}
