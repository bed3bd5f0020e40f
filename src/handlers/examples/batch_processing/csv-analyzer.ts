// Batch processing, the analyzer (a batchable step): plans one worker per batch_size rows, each with
// its cursor range; with no rows, no batches (the engine then creates one no-op worker).
import { type BatchableResult, BatchableStepHandler, type StepContext } from "tasker-edge";
import { rowCount } from "./product-rows";

export class CsvAnalyzerHandler extends BatchableStepHandler {
	static override handlerName = "Examples.batch_processing.step_handlers.CsvAnalyzerHandler";

	call(context: StepContext): BatchableResult {
		const rows = rowCount(context.getInput("csv_file_path"), context.getInput("row_count"));
		// A task may ask for smaller batches (the benchmark's 1,000 workers); the template sets the default.
		const asked = context.getInput("batch_size");
		const batchSize =
			typeof asked === "number" && Number.isInteger(asked) && asked > 0
				? asked
				: (context.getConfig<number>("batch_size") ?? 200);
		const template = context.getConfig<string>("worker_template_name") ?? "process_csv_batch";
		if (rows === 0) return this.noBatchesResult("no_rows", { total_rows: 0 });
		const total = Math.ceil(rows / batchSize);
		const configs = Array.from({ length: total }, (_, i) => {
			const start = i * batchSize;
			const end = Math.min(rows, start + batchSize);
			return {
				batch_id: String(i + 1).padStart(3, "0"),
				cursor_start: start,
				cursor_end: end,
				row_count: end - start,
				worker_index: i,
				total_workers: total,
			};
		});
		return this.batchSuccess(template, configs, { total_rows: rows });
	}
}
