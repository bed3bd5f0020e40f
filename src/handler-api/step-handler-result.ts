// What a handler returns: a success carrying its result, or a failure it chose to report without throwing.

export interface StepFailureOptions {
	/** Defaults to `handler_error`. */
	errorType?: string;
	errorCode?: string;
	/** Defaults to true: the step is retried while attempts remain. */
	retryable?: boolean;
	metadata?: Record<string, unknown>;
	/** Wins over the computed backoff (the task object caps it). */
	retryAfterSeconds?: number;
}

interface StepHandlerResultFields {
	success: boolean;
	result: unknown;
	errorMessage: string | null;
	errorType: string | null;
	errorCode: string | null;
	retryable: boolean;
	retryAfterSeconds: number | null;
	metadata: Record<string, unknown>;
}

// A registry-wide symbol, so that a result built by a second bundled copy of this API is still recognised.
const STEP_HANDLER_RESULT_BRAND = Symbol.for("tasker-edge.StepHandlerResult");

export class StepHandlerResult {
	readonly success: boolean;
	/** The success's data (JSON); null on failure. */
	readonly result: unknown;
	readonly errorMessage: string | null;
	readonly errorType: string | null;
	readonly errorCode: string | null;
	readonly retryable: boolean;
	readonly retryAfterSeconds: number | null;
	readonly metadata: Record<string, unknown>;

	private constructor(fields: StepHandlerResultFields) {
		this.success = fields.success;
		this.result = fields.result;
		this.errorMessage = fields.errorMessage;
		this.errorType = fields.errorType;
		this.errorCode = fields.errorCode;
		this.retryable = fields.retryable;
		this.retryAfterSeconds = fields.retryAfterSeconds;
		this.metadata = fields.metadata;
	}

	/** `result` must be JSON data: it is stored as the step's result and read by every descendant. */
	static success(result: unknown, metadata: Record<string, unknown> = {}): StepHandlerResult {
		return new StepHandlerResult({
			success: true,
			result,
			errorMessage: null,
			errorType: null,
			errorCode: null,
			retryable: false,
			retryAfterSeconds: null,
			metadata,
		});
	}

	static failure(message: string, options: StepFailureOptions = {}): StepHandlerResult {
		return new StepHandlerResult({
			success: false,
			result: null,
			errorMessage: message,
			errorType: options.errorType ?? "handler_error",
			errorCode: options.errorCode ?? null,
			retryable: options.retryable ?? true,
			retryAfterSeconds: options.retryAfterSeconds ?? null,
			metadata: options.metadata ?? {},
		});
	}
}

Object.defineProperty(StepHandlerResult.prototype, STEP_HANDLER_RESULT_BRAND, { value: true });

/** Whether `value` was built by `StepHandlerResult.success/failure`, from this copy of the API or another. */
export function isStepHandlerResult(value: unknown): value is StepHandlerResult {
	return (
		value instanceof StepHandlerResult ||
		(typeof value === "object" &&
			value !== null &&
			(value as Record<symbol, unknown>)[STEP_HANDLER_RESULT_BRAND] === true)
	);
}
