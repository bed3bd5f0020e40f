// The errors a handler throws to say how its failure should be treated: permanent (never retried) or
// retryable (optionally after a server-requested delay). Anything else thrown is a retryable handler_error.
// The second argument is the reference's `metadata` record, or tasker-edge's options object.

export interface StepErrorOptions {
	errorCode?: string;
	metadata?: Record<string, unknown>;
	cause?: unknown;
}

export interface RetryableErrorOptions extends StepErrorOptions {
	/** Wins over the computed backoff (the task object caps it), e.g. from an HTTP `Retry-After`. */
	retryAfterSeconds?: number;
}

const OPTION_KEYS: ReadonlySet<string> = new Set(["errorCode", "metadata", "cause", "retryAfterSeconds"]);

/**
 * The options form when every key of a non-empty object is an option's name; otherwise the reference's
 * `metadata` record. (`new PermanentError("x", { metadata: {...} })` is options; `{ order_id }` is metadata.)
 */
function toOptions(
	second: RetryableErrorOptions | Record<string, unknown> | undefined,
): RetryableErrorOptions {
	if (second === undefined || second === null) return {};
	const keys = Object.keys(second);
	if (keys.length > 0 && keys.every((key) => OPTION_KEYS.has(key))) return second as RetryableErrorOptions;
	return { metadata: second as Record<string, unknown> };
}

/** The base of the handler error vocabulary; classified by its fields, so subclasses may add their own. */
export abstract class StepError extends Error {
	abstract readonly errorType: string;
	abstract readonly retryable: boolean;
	readonly errorCode: string | null;
	readonly retryAfterSeconds: number | null;
	readonly metadata: Record<string, unknown>;

	constructor(message: string, second?: RetryableErrorOptions | Record<string, unknown>) {
		const options = toOptions(second);
		super(message, options.cause === undefined ? undefined : { cause: options.cause });
		// A user's `class CardDeclined extends PermanentError` reports itself as CardDeclined.
		this.name = new.target.name;
		this.errorCode = options.errorCode ?? null;
		this.retryAfterSeconds = options.retryAfterSeconds ?? null;
		this.metadata = options.metadata ?? {};
	}
}

/** A failure that retrying cannot fix (bad input, a declined card): the step fails at once (`permanent_error`). */
export class PermanentError extends StepError {
	readonly errorType: string = "permanent_error";
	readonly retryable: boolean = false;

	constructor(message: string, metadataOrOptions?: StepErrorOptions | Record<string, unknown>) {
		const options = toOptions(metadataOrOptions);
		// Picked field by field: a retry-after on an error that is never retried would only mislead.
		super(message, { errorCode: options.errorCode, metadata: options.metadata ?? {}, cause: options.cause });
	}
}

/** A transient failure (timeout, rate limit, unavailable dependency): retried while attempts remain (`retryable_error`). */
export class RetryableError extends StepError {
	readonly errorType: string = "retryable_error";
	readonly retryable: boolean = true;
}
