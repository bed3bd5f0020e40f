// The standard error types of a failed step, with the reference's values: the engine and every SDK classify
// failures by these strings. A const object rather than an enum (the project compiles with erasableSyntaxOnly);
// `ErrorType.PERMANENT_ERROR` reads the same, and `ErrorType` is also the union type of the values.

export const ErrorType = {
	/** Retrying cannot help: bad input, a missing record, a refused credential. */
	PERMANENT_ERROR: "permanent_error",
	/** Transient: a timeout, an unavailable service, a rate limit. */
	RETRYABLE_ERROR: "retryable_error",
	/** The input broke a rule the handler checks. */
	VALIDATION_ERROR: "validation_error",
	/** The work took too long (the handler's own, or the step's `timeout_seconds`). */
	TIMEOUT: "timeout",
	/** Anything else the handler raised: the default, and retryable. */
	HANDLER_ERROR: "handler_error",
} as const;

export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

const STANDARD: ReadonlySet<string> = new Set(Object.values(ErrorType));
const TYPICALLY_RETRYABLE: ReadonlySet<string> = new Set([ErrorType.RETRYABLE_ERROR, ErrorType.TIMEOUT]);

/** Whether `errorType` is one of the standard values (`custom_error` is allowed, but not standard). */
export function isStandardErrorType(errorType: string): boolean {
	return STANDARD.has(errorType);
}

/** The usual `retryable` flag for an error type: true for `retryable_error` and `timeout` only. */
export function isTypicallyRetryable(errorType: string): boolean {
	return TYPICALLY_RETRYABLE.has(errorType);
}
