// What a handler returns: a success carrying its result, or a failure it chose to report without throwing.
// Names, fields, defaults and the snake_case `toJSON()` are the reference SDK's; `retryAfterSeconds` is ours.
import { ErrorType } from "./error-type";

/** Hints for the engine about a failure (the reference's orchestration metadata). */
export interface OrchestrationMetadata {
	/** Response headers worth keeping, e.g. `retry-after`. */
	headers?: Record<string, string>;
	errorContext?: string | null;
	/** `delaySeconds` is used as the retry delay when the result sets no `retryAfterSeconds`. */
	backoffHint?: { backoffType: string; delaySeconds: number; context?: string | null } | null;
	custom?: Record<string, unknown>;
}

/** The options form of `StepHandlerResult.failure(message, options)` (tasker-edge's own, kept beside the positional form). */
export interface StepFailureOptions {
	/** Defaults to `handler_error`. */
	errorType?: string;
	errorCode?: string;
	/** Defaults to true: the step is retried while attempts remain. */
	retryable?: boolean;
	metadata?: Record<string, unknown>;
	/** Wins over the computed backoff (the task object caps it). */
	retryAfterSeconds?: number;
	orchestrationMetadata?: OrchestrationMetadata;
}

/** The constructor's parameters (the reference's `StepHandlerResultParams`). */
export interface StepHandlerResultParams {
	success: boolean;
	result?: Record<string, unknown> | null;
	errorMessage?: string | null;
	errorType?: string | null;
	errorCode?: string | null;
	/** Defaults to true, as in the reference (it only matters for failures). */
	retryable?: boolean;
	metadata?: Record<string, unknown>;
	orchestrationMetadata?: OrchestrationMetadata | null;
	retryAfterSeconds?: number | null;
}

// A registry-wide symbol, so that a result built by a second bundled copy of this API is still recognised.
const STEP_HANDLER_RESULT_BRAND = Symbol.for("tasker-edge.StepHandlerResult");

export class StepHandlerResult {
	readonly success: boolean;
	/**
	 * The success's data, stored as the step's result and read by every descendant; null on failure. Typed as
	 * an object like the reference's; any JSON value (a string, a number, an array) is also accepted and stored.
	 */
	readonly result: Record<string, unknown> | null;
	readonly errorMessage: string | null;
	readonly errorType: string | null;
	readonly errorCode: string | null;
	readonly retryable: boolean;
	readonly metadata: Record<string, unknown>;
	readonly orchestrationMetadata: OrchestrationMetadata | null;
	/** A delay (seconds) before the next attempt that wins over the computed backoff; tasker-edge's own. */
	readonly retryAfterSeconds: number | null;

	constructor(params: StepHandlerResultParams) {
		this.success = params.success;
		this.result = params.result ?? null;
		this.errorMessage = params.errorMessage ?? null;
		this.errorType = params.errorType ?? null;
		this.errorCode = params.errorCode ?? null;
		this.retryable = params.retryable ?? true;
		this.metadata = params.metadata ?? {};
		this.orchestrationMetadata = params.orchestrationMetadata ?? null;
		this.retryAfterSeconds = params.retryAfterSeconds ?? null;
	}

	/** `result` must be JSON data: it is stored as the step's result and read by every descendant. */
	static success(result: Record<string, unknown>, metadata?: Record<string, unknown>): StepHandlerResult;
	static success(result: unknown, metadata?: Record<string, unknown>): StepHandlerResult;
	static success(result: unknown, metadata?: Record<string, unknown>): StepHandlerResult {
		return new StepHandlerResult({
			success: true,
			result: result as Record<string, unknown> | null,
			metadata: metadata ?? {},
		});
	}

	/**
	 * A failure: `failure(message, errorType = "handler_error", retryable = true, metadata?, errorCode?)` as in
	 * the reference, or `failure(message, { errorType, errorCode, retryable, metadata, retryAfterSeconds })`.
	 */
	static failure(message: string, options?: StepFailureOptions): StepHandlerResult;
	static failure(
		message: string,
		errorType?: ErrorType | string,
		retryable?: boolean,
		metadata?: Record<string, unknown>,
		errorCode?: string,
	): StepHandlerResult;
	static failure(
		message: string,
		errorTypeOrOptions: ErrorType | string | StepFailureOptions = ErrorType.HANDLER_ERROR,
		retryable = true,
		metadata?: Record<string, unknown>,
		errorCode?: string,
	): StepHandlerResult {
		if (typeof errorTypeOrOptions === "object" && errorTypeOrOptions !== null) {
			const options = errorTypeOrOptions;
			return new StepHandlerResult({
				success: false,
				errorMessage: message,
				errorType: options.errorType ?? ErrorType.HANDLER_ERROR,
				errorCode: options.errorCode ?? null,
				retryable: options.retryable ?? true,
				metadata: options.metadata ?? {},
				orchestrationMetadata: options.orchestrationMetadata ?? null,
				retryAfterSeconds: options.retryAfterSeconds ?? null,
			});
		}
		return new StepHandlerResult({
			success: false,
			errorMessage: message,
			errorType: errorTypeOrOptions ?? ErrorType.HANDLER_ERROR,
			errorCode: errorCode ?? null,
			retryable,
			metadata: metadata ?? {},
		});
	}

	isSuccess(): boolean {
		return this.success;
	}

	isFailure(): boolean {
		return !this.success;
	}

	/** The reference's wire form: snake_case keys. */
	toJSON(): Record<string, unknown> {
		return {
			success: this.success,
			result: this.result,
			error_message: this.errorMessage,
			error_type: this.errorType,
			error_code: this.errorCode,
			retryable: this.retryable,
			metadata: this.metadata,
			orchestration_metadata: this.orchestrationMetadata,
		};
	}
}

Object.defineProperty(StepHandlerResult.prototype, STEP_HANDLER_RESULT_BRAND, { value: true });

/** Whether `value` was built by `StepHandlerResult` (success, failure or `new`), from this copy of the API or another. */
export function isStepHandlerResult(value: unknown): value is StepHandlerResult {
	return (
		value instanceof StepHandlerResult ||
		(typeof value === "object" &&
			value !== null &&
			(value as Record<symbol, unknown>)[STEP_HANDLER_RESULT_BRAND] === true)
	);
}
