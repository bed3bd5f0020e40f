// What a handler run produced, as plain data. It crosses a queue/RPC hop, so it is never an Error
// instance: the task object classifies failures by these fields, never by `instanceof`.

/** A handler failure, serialised so that it survives the wire (snake_case: it is shown to API clients as is). */
export interface SerializedStepError {
	/** The error class name, e.g. `PermanentError`, `RetryableError`, `TypeError`. */
	name: string;
	/** `permanent_error`, `retryable_error`, `handler_error`, `timeout`, `validation_error`, ... */
	error_type: string;
	error_code: string | null;
	message: string;
	/** The handler's own verdict; the task object also requires the step's `retry.retryable` and attempts left. */
	retryable: boolean;
	/** A server-requested delay that wins over the computed backoff. */
	retry_after_seconds: number | null;
	metadata: Record<string, unknown>;
}

export type StepOutcome =
	| {
			success: true;
			/** The handler's result: JSON data, stored as the step's result and read by dependents. */
			result: unknown;
			metadata: Record<string, unknown>;
			execution_time_ms: number;
	  }
	| {
			success: false;
			error: SerializedStepError;
			execution_time_ms: number;
	  };

/** Everything a consumer needs to run one attempt of one step, handed out by the task object when it claims the step. */
export interface StepRunInput {
	task_uuid: string;
	step_uuid: string;
	step_name: string;
	namespace: string;
	task_name: string;
	task_version: string;
	correlation_id: string;
	/** The template's `handler.callable`: the registered `StepHandler.handlerName` to run. */
	callable: string;
	/** The template's `handler.initialization`. */
	initialization: Record<string, unknown>;
	/** The task's `context` (the handler's input data). */
	context: Record<string, unknown>;
	/** Results of every step this one depends on, directly or transitively, keyed by step name. */
	dependency_results: Record<string, unknown>;
	/** 1 for the first run. */
	attempt: number;
	max_attempts: number;
	timeout_seconds: number;
	/** The template's `handler.method`: the handler method to run instead of `call` (absent: `call`). */
	method?: string;
	/** The template's `result_schema`: a successful result that does not match fails the attempt for good. */
	result_schema?: unknown;
	/** The reference's per-step inputs: a batch worker's cursor (`BatchWorkerInputs`); absent means none. */
	step_inputs?: Record<string, unknown>;
	/** The last checkpoint this step yielded, to resume from; absent or null means none. */
	checkpoint?: {
		cursor: unknown;
		items_processed: number;
		accumulated_results?: Record<string, unknown>;
	} | null;
	/**
	 * Checkpoints yielded so far. Each yield is run again as a new attempt (the fence), so `attempt` and
	 * `max_attempts` count them too; the handler's own attempt number is `attempt - checkpoint_yields`.
	 */
	checkpoint_yields?: number;
	/**
	 * For the consumer, never for a handler: names the state of the task's results these inputs were
	 * taken from. A report of this attempt gives it back, so that the task object can hand the next step
	 * only what these inputs lack (`inherits_inputs`).
	 */
	inputs_token?: string;
	/**
	 * For the consumer: `dependency_results` holds only the result of the step whose report handed this
	 * one over, its only parent; the rest of its inputs are that step's own `dependency_results`, which
	 * the consumer holds. A deep chain so hands each step one result instead of every ancestor's.
	 */
	inherits_inputs?: true;
}

/** The input as a handler sees it: without the fields that are the consumer's alone. */
export function handlerInput(input: StepRunInput): StepRunInput {
	if (input.inputs_token === undefined && input.inherits_inputs === undefined) return input;
	const { inputs_token: _token, inherits_inputs: _inherits, ...forHandler } = input;
	return forHandler;
}

/**
 * A handed-over step's full input, from the input of the step whose report handed it over: its
 * `dependency_results` completed with that step's own when it `inherits_inputs`.
 */
export function completeHandedInput(handed: StepRunInput, reporter: StepRunInput): StepRunInput {
	if (!handed.inherits_inputs) return handed;
	const { inherits_inputs: _inherits, ...input } = handed;
	// The parent's own inputs, then its result: the order a full walk of the ancestors gives (each step
	// after its own ancestors), and a copy that starts from the parent's inputs whole (a spread first in
	// the literal is a fast clone; adding a deep chain's results one by one to a new object was not).
	return { ...input, dependency_results: { ...reporter.dependency_results, ...handed.dependency_results } };
}
