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

/** `StepHandlerResult.waitForEvent(name, options)`: how long to wait and what to keep meanwhile (tasker-edge's own). */
export interface WaitForEventOptions {
	/** Required, 1 s to 365 days: past it the step fails like a timed-out attempt, or completes with null. */
	timeoutSeconds: number;
	/** A dot path that must hold the same value in the task's context and the event's payload. */
	match?: string;
	/** `fail` (the default: the retry policy applies, and a retry runs the handler again) or `complete_with_null`. */
	onTimeout?: "fail" | "complete_with_null";
	/** What the handler has so far (e.g. the external process's id): kept as `handler_result` beside the event's payload. */
	result?: unknown;
	metadata?: Record<string, unknown>;
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

	/**
	 * The handler started something outside (a payment, an approval) and its step is done when that
	 * answers: the step waits for the event `name` (`POST /v1/tasks/{uuid}/events`) like a
	 * `wait_for_event` step, and the event's payload becomes its result. Marked as the reference marks
	 * a checkpoint yield: `result.type = "wait_for_event"`, `metadata.wait_for_event = true`.
	 */
	static waitForEvent(name: string, options: WaitForEventOptions): StepHandlerResult {
		const event: Record<string, unknown> = { name, timeout_seconds: options.timeoutSeconds };
		if (options.match !== undefined) event.match = options.match;
		if (options.onTimeout !== undefined) event.on_timeout = options.onTimeout;
		return StepHandlerResult.success(
			{ type: "wait_for_event", event, result: options.result ?? null },
			{ ...options.metadata, wait_for_event: true },
		);
	}

	/** Whether this result asks the engine to wait for an event (see `waitForEvent`). */
	isWaitForEvent(): boolean {
		return this.success && this.metadata.wait_for_event === true;
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
