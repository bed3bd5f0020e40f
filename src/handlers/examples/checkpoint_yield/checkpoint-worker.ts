// Checkpoint yield, the worker: processes items from its checkpoint (or its cursor's start), yields a
// checkpoint every `items_per_checkpoint` items, and can be told to fail once after `fail_after_items`
// on attempt `fail_on_attempt`: its retry resumes from the last checkpoint, not from the start.
import {
	BatchableStepHandler,
	PermanentError,
	RetryableError,
	type StepContext,
	StepHandlerResult,
} from "tasker-edge";

interface Accumulated {
	running_total: number;
	item_ids: string[];
}

export class CheckpointYieldWorkerHandler extends BatchableStepHandler {
	static override handlerName = "Examples.checkpoint_yield.step_handlers.CheckpointYieldWorkerHandler";

	call(context: StepContext): StepHandlerResult {
		const noOp = this.handleNoOpWorker(context);
		if (noOp) return noOp;
		const inputs = context.stepInputs as {
			cursor?: { batch_id: string; start_cursor: number; end_cursor: number };
		};
		if (!inputs.cursor) throw new PermanentError("no batch inputs: this handler runs batch workers only");
		const perCheckpoint = context.getInputOr<number>(
			"items_per_checkpoint",
			context.getConfig<number>("items_per_checkpoint") ?? 25,
		);
		const failAfter = context.getInput<number>("fail_after_items");
		const failOnAttempt = context.getInputOr<number>("fail_on_attempt", 1);
		const permanent = context.getInputOr<boolean>("permanent_failure", false);

		const saved = context.checkpoint;
		let cursor = saved ? (saved.cursor as number) : inputs.cursor.start_cursor;
		let processed = saved ? saved.items_processed : 0;
		const accumulated: Accumulated = structuredClone(
			(saved?.accumulated_results as Accumulated | undefined) ?? { running_total: 0, item_ids: [] },
		);
		const end = inputs.cursor.end_cursor;
		let inChunk = 0;
		while (cursor < end) {
			if (failAfter !== undefined && processed >= failAfter && context.attempt === failOnAttempt) {
				const message = `injected ${permanent ? "permanent" : "transient"} failure after ${processed} items`;
				const metadata = { items_processed: processed, cursor_at_failure: cursor };
				throw permanent
					? new PermanentError(message, { metadata })
					: new RetryableError(message, { metadata });
			}
			accumulated.running_total += cursor + 1;
			accumulated.item_ids.push(`item_${String(cursor).padStart(4, "0")}`);
			cursor += 1;
			processed += 1;
			inChunk += 1;
			// Progress instead of a result: the step runs again from here (accumulated is plain data).
			if (inChunk >= perCheckpoint && cursor < end) {
				return this.checkpointYield(cursor, processed, { ...accumulated });
			}
		}
		return StepHandlerResult.success({
			batch_id: inputs.cursor.batch_id,
			items_processed: processed,
			items_succeeded: processed,
			items_failed: 0,
			batch_metadata: {
				...accumulated,
				final_cursor: cursor,
				checkpoints_used: Math.floor(processed / perCheckpoint),
			},
		});
	}
}
