// Checkpoint yield (the reference's `checkpointYield(cursor, itemsProcessed, accumulatedResults)`): a
// handler reports progress instead of a result; the task object keeps it with the step and runs the
// step again from it. Each yield starts a new attempt, so it is fenced like a result (a late copy of an
// older checkpoint is dropped), but it does not count against the retry budget; a failure's retry
// resumes from the last checkpoint too.

import { MAX_CHECKPOINT_BYTES, MAX_CHECKPOINT_YIELDS } from "../limits";
import { dynamicStepError } from "./dynamic-errors";
import type { SerializedStepError, StepOutcome, StepRunInput } from "./step-outcome";
import type { CheckpointRecord, StepRecord } from "./task-records";
import { utf8ByteLength } from "./utf8-length";

export type CheckpointRead =
	| { ok: true; checkpoint: Omit<CheckpointRecord, "timestamp" | "yields"> }
	| { ok: false; error: SerializedStepError };

/** Null when the outcome is not a checkpoint yield (the reference marks it in both result and metadata). */
export function readCheckpointYield(step: StepRecord, outcome: StepOutcome): CheckpointRead | null {
	if (!outcome.success || outcome.metadata.checkpoint_yield !== true) return null;
	const result = outcome.result as Record<string, unknown> | null;
	if (typeof result !== "object" || result === null || result.type !== "checkpoint_yield") return null;
	const fail = (code: string, message: string): CheckpointRead => ({
		ok: false,
		error: dynamicStepError("CheckpointError", code, message, { step_name: step.name }),
	});
	const items = result.items_processed;
	if (result.cursor === undefined)
		return fail("invalid_checkpoint", `step "${step.name}" yielded a checkpoint without a cursor`);
	if (!Number.isInteger(items) || (items as number) < 0) {
		return fail(
			"invalid_checkpoint",
			`checkpoint items_processed must be an integer >= 0, got ${JSON.stringify(items) ?? "nothing"}`,
		);
	}
	const accumulated = result.accumulated_results;
	if (
		accumulated !== undefined &&
		(typeof accumulated !== "object" || accumulated === null || Array.isArray(accumulated))
	) {
		return fail("invalid_checkpoint", "checkpoint accumulated_results must be a mapping");
	}
	const yields = step.checkpoint?.yields ?? 0;
	if (yields >= MAX_CHECKPOINT_YIELDS) {
		return fail(
			"too_many_checkpoints",
			`step "${step.name}" yielded ${yields} checkpoints; at most ${MAX_CHECKPOINT_YIELDS} (MAX_CHECKPOINT_YIELDS)`,
		);
	}
	const checkpoint = {
		cursor: result.cursor,
		items_processed: items as number,
		...(accumulated === undefined ? {} : { accumulated_results: accumulated as Record<string, unknown> }),
	};
	const bytes = utf8ByteLength(JSON.stringify(checkpoint));
	if (bytes > MAX_CHECKPOINT_BYTES) {
		return fail(
			"checkpoint_too_large",
			`checkpoint of step "${step.name}" is ${bytes} bytes as JSON; at most ${MAX_CHECKPOINT_BYTES} (MAX_CHECKPOINT_BYTES)`,
		);
	}
	return { ok: true, checkpoint };
}

/** How many of the step's attempts were runs after a checkpoint yield (not failures). */
export const checkpointYields = (step: Pick<StepRecord, "checkpoint">): number =>
	step.checkpoint?.yields ?? 0;

/** What a handler is given of the step's checkpoint: absent when it has none. */
export function checkpointInput(step: StepRecord): Pick<StepRunInput, "checkpoint" | "checkpoint_yields"> {
	const saved = step.checkpoint;
	if (!saved) return {};
	return {
		checkpoint: {
			cursor: saved.cursor,
			items_processed: saved.items_processed,
			...(saved.accumulated_results === undefined ? {} : { accumulated_results: saved.accumulated_results }),
		},
		checkpoint_yields: saved.yields,
	};
}
