// The reference's step types (`type`, alias `step_type`): which steps exist from the start, and which
// are created while the task runs (by a decision, a batch analyzer, or the arrival of a parent).

export const STEP_TYPES = [
	"standard",
	"decision",
	"deferred_convergence",
	"batchable",
	"batch_worker",
] as const;
export type StepType = (typeof STEP_TYPES)[number];

export const FAILURE_STRATEGIES = ["continue_on_failure", "fail_fast", "isolate"] as const;
/**
 * What a batch worker's final failure does: `continue_on_failure` completes it with the failure as its
 * result (the aggregator still runs), `fail_fast` fails it and cancels its siblings not yet running,
 * `isolate` fails it alone and leaves it to an operator while its siblings run on.
 */
export type FailureStrategy = (typeof FAILURE_STRATEGIES)[number];

/** The reference's `batch_config`, normalised. */
export interface BatchConfig {
	batchSize: number;
	parallelism: number;
	cursorField: string;
	workerTemplate: string;
	failureStrategy: FailureStrategy;
}

/** Worker templates and convergence steps never exist when a task starts (the reference's `is_created_at_initialization`). */
export function isCreatedAtInitialization(type: StepType): boolean {
	return type !== "batch_worker" && type !== "deferred_convergence";
}
