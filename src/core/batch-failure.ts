// What a batch worker's final failure does, by its batch's `failure_strategy` (the reference's):
// `continue_on_failure` completes the worker with the failure as its result, so the aggregator still
// runs and sees it; `fail_fast` fails it and cancels its siblings that have not started; `isolate`
// fails it alone (an operator resolves it) while its siblings run on.
import type { FailureStrategy } from "../templates/step-types";
import { releaseDependents } from "./release-dependents";
import { StepState } from "./states";
import type { SerializedStepError } from "./step-outcome";
import { clearOwed, enqueueNextAttempt, moveStep } from "./task-mutations";
import type { StepRecord, TaskRecord } from "./task-records";
import type { TaskStore } from "./task-store";

export function failureStrategyOf(step: StepRecord): FailureStrategy | null {
	if (step.stepType !== "batch_worker") return null;
	const metadata = step.stepInputs?.batch_metadata as { failure_strategy?: FailureStrategy } | undefined;
	return metadata?.failure_strategy ?? "continue_on_failure";
}

/**
 * Completes the worker with its failure as the result, and saves the steps this makes ready as owed
 * to the queue at once: the caller wakes the alarm now, which sends them.
 */
export function completeDespiteFailure(
	store: TaskStore,
	task: TaskRecord,
	step: StepRecord,
	error: SerializedStepError,
	executionTimeMs: number,
	now: number,
): void {
	const cursor = step.stepInputs?.cursor as { batch_id?: unknown; batch_size?: unknown } | undefined;
	step.result = {
		result: {
			batch_failed: true,
			batch_id: cursor?.batch_id ?? null,
			items_processed: 0,
			items_succeeded: 0,
			items_failed: typeof cursor?.batch_size === "number" ? cursor.batch_size : 0,
			error: { message: error.message, error_type: error.error_type, error_code: error.error_code },
		},
		metadata: {
			execution_time_ms: executionTimeMs,
			attempt: step.attempt,
			custom: { failure_strategy: "continue_on_failure" },
		},
	};
	step.completedAt = now;
	moveStep(store, task, step, StepState.complete, now, {
		execution_time_ms: executionTimeMs,
		error,
		failure_strategy: "continue_on_failure",
	});
	store.saveStep(step);
	for (const child of releaseDependents(store, task, step)) enqueueNextAttempt(store, task, child, now, now);
}

/** `fail_fast`: the failed worker's siblings that have not started are cancelled (running ones finish). */
export function cancelSiblings(store: TaskStore, task: TaskRecord, failed: StepRecord, now: number): void {
	const template = failed.templateName;
	if (!template) return;
	const siblings = store.loadDynamicState()?.instances[template] ?? [];
	for (const ref of siblings) {
		if (ref.idx === failed.idx) continue;
		const sibling = store.getStep(ref.uuid);
		if (!sibling || sibling.createdBy !== failed.createdBy) continue;
		if (
			sibling.state !== StepState.pending &&
			sibling.state !== StepState.enqueued &&
			sibling.state !== StepState.waitingForRetry
		)
			continue;
		clearOwed(task, sibling);
		sibling.nextRetryAt = null;
		moveStep(store, task, sibling, StepState.cancelled, now, {
			failure_strategy: "fail_fast",
			failed_sibling: failed.name,
		});
		store.saveStep(sibling);
	}
}
