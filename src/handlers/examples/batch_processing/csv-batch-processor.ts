// Batch processing, a worker: values the rows of its cursor range [start_cursor, end_cursor). The
// placeholder worker of a no_batches outcome has nothing to do.
import { type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";
import { productRow } from "./product-rows";

interface WorkerInputs {
	cursor: { batch_id: string; start_cursor: number; end_cursor: number };
	is_no_op: boolean;
}

export class CsvBatchProcessorHandler extends StepHandler {
	static override handlerName = "Examples.batch_processing.step_handlers.CsvBatchProcessorHandler";

	call(context: StepContext): StepHandlerResult {
		const inputs = context.stepInputs as unknown as WorkerInputs;
		if (inputs.is_no_op) {
			return StepHandlerResult.success({ batch_id: inputs.cursor.batch_id, no_op: true, items_processed: 0 });
		}
		let quantity = 0;
		let valueCents = 0;
		for (let n = inputs.cursor.start_cursor; n < inputs.cursor.end_cursor; n++) {
			const row = productRow(n);
			quantity += row.quantity;
			valueCents += row.quantity * row.price_cents;
		}
		const items = inputs.cursor.end_cursor - inputs.cursor.start_cursor;
		return StepHandlerResult.success({
			batch_id: inputs.cursor.batch_id,
			items_processed: items,
			items_succeeded: items,
			items_failed: 0,
			total_quantity: quantity,
			inventory_value_cents: valueCents,
		});
	}
}
