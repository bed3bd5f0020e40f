// The errors a handler throws to say how its failure should be treated: permanent (never retried) or
// retryable (optionally after a server-requested delay). Anything else thrown is a retryable handler_error.

export interface StepErrorOptions {
	errorCode?: string;
	metadata?: Record<string, unknown>;
	cause?: unknown;
}

export interface RetryableErrorOptions extends StepErrorOptions {
	/** Wins over the computed backoff (the task object caps it), e.g. from an HTTP `Retry-After`. */
	retryAfterSeconds?: number;
}

/** The base of the handler error vocabulary; classified by its fields, so subclasses may add their own. */
export abstract class StepError extends Error {
	abstract readonly errorType: string;
	abstract readonly retryable: boolean;
	readonly errorCode: string | null;
	readonly retryAfterSeconds: number | null;
	readonly metadata: Record<string, unknown>;

	constructor(message: string, options: RetryableErrorOptions = {}) {
		super(message, options.cause === undefined ? undefined : { cause: options.cause });
		// A user's `class CardDeclined extends PermanentError` reports itself as CardDeclined.
		this.name = new.target.name;
		this.errorCode = options.errorCode ?? null;
		this.retryAfterSeconds = options.retryAfterSeconds ?? null;
		this.metadata = options.metadata ?? {};
	}
}

/** A failure that retrying cannot fix (bad input, a declined card): the step fails at once. */
export class PermanentError extends StepError {
	readonly errorType: string = "permanent_error";
	readonly retryable: boolean = false;

	constructor(message: string, options: StepErrorOptions = {}) {
		// Picked field by field: a retry-after on an error that is never retried would only mislead.
		super(message, { errorCode: options.errorCode, metadata: options.metadata, cause: options.cause });
	}
}

/** A transient failure (timeout, rate limit, unavailable dependency): retried while attempts remain. */
export class RetryableError extends StepError {
	readonly errorType: string = "retryable_error";
	readonly retryable: boolean = true;
}
