// Runs one attempt of a handler and turns whatever happens (a result, a returned failure, a throw, a bad
// return value) into a StepOutcome: plain JSON data that survives the hop back to the task object.
import type { SerializedStepError, StepOutcome, StepRunInput } from "../core/step-outcome";
import { timeoutError } from "../core/step-timeout";
import { MAX_SCHEMA_ERRORS_SHOWN, MAX_STEP_RESULT_BYTES } from "../limits";
import { describeViolation, schemaCheckForWire } from "../validation/json-schema";
import { DEFAULT_HANDLER_METHOD, entryPoint } from "./method-dispatch";
import { StepContext } from "./step-context";
import { StepError } from "./step-errors";
import type { StepHandlerClass } from "./step-handler";
import { isStepHandlerResult } from "./step-handler-result";

const TIMED_OUT: unique symbol = Symbol("timed out");

/**
 * Never throws: every failure, including the handler's own misbehaviour, becomes a failed outcome.
 * A handler still running at its `timeout_seconds` is no longer waited for: the attempt is reported
 * as a retryable `timeout` (a handler cannot be preempted; whatever it returns later is ignored).
 */
export async function runStepHandler(
	handlerClass: StepHandlerClass,
	input: StepRunInput,
	clock: () => number = Date.now,
): Promise<StepOutcome> {
	const startedAt = clock();
	const elapsed = () => Math.max(0, clock() - startedAt);
	let returned: unknown;
	try {
		const handler = new handlerClass();
		const context = new StepContext(input);
		// `handler.method`: another entry point of the handler than `call` (the reference's method dispatch).
		const method = input.method ?? DEFAULT_HANDLER_METHOD;
		const run = entryPoint(handler, method);
		if (run === null) return noSuchMethod(handlerName(handlerClass), method, elapsed());
		returned = await withinTimeout(
			Promise.resolve().then(() => run(context)),
			input.timeout_seconds * 1_000,
		);
	} catch (thrown) {
		return { success: false, error: serializeThrown(thrown), execution_time_ms: elapsed() };
	}
	if (returned === TIMED_OUT) {
		return {
			success: false,
			error: timeoutError(input.step_name, input.timeout_seconds, "consumer"),
			execution_time_ms: elapsed(),
		};
	}
	const executionTimeMs = elapsed();
	try {
		const outcome = toOutcome(handlerName(handlerClass), returned, executionTimeMs);
		// A wait's result comes with its event, later: the schema cannot judge the wait request itself.
		const waits = outcome.success && outcome.metadata.wait_for_event === true;
		if (outcome.success && !waits && input.result_schema !== undefined && input.result_schema !== null) {
			return checkResultSchema(handlerName(handlerClass), input.result_schema, outcome);
		}
		return outcome;
	} catch (thrown) {
		// Only reachable through hostile values (throwing getters, proxies) in the returned result.
		return { success: false, error: serializeThrown(thrown), execution_time_ms: executionTimeMs };
	}
}

function toOutcome(handler: string, returned: unknown, executionTimeMs: number): StepOutcome {
	if (!isStepHandlerResult(returned)) {
		return failed(executionTimeMs, {
			name: "InvalidResultError",
			error_type: "invalid_handler_result",
			error_code: null,
			message: `handler "${handler}" returned ${describe(returned)} instead of a StepHandlerResult (return StepHandlerResult.success(...) or StepHandlerResult.failure(...))`,
			retryable: false,
		});
	}
	if (!returned.success) {
		return failed(executionTimeMs, {
			name: "StepHandlerResult",
			error_type: stringOr(returned.errorType, "handler_error"),
			error_code: stringOrNull(returned.errorCode),
			message: stringOr(returned.errorMessage, "handler reported a failure"),
			retryable: returned.retryable !== false,
			retry_after_seconds:
				returned.retryAfterSeconds ?? returned.orchestrationMetadata?.backoffHint?.delaySeconds,
			metadata: returned.metadata,
		});
	}
	const encoded = encodeResult(returned.result);
	if (!encoded.ok) {
		return failed(executionTimeMs, {
			name: "InvalidResultError",
			error_type: "invalid_result",
			error_code: "RESULT_NOT_SERIALIZABLE",
			message: `handler "${handler}" returned a result that cannot be stored as JSON: ${encoded.reason}`,
			retryable: false,
		});
	}
	const bytes = new TextEncoder().encode(encoded.json).byteLength;
	if (bytes > MAX_STEP_RESULT_BYTES) {
		return failed(executionTimeMs, {
			name: "InvalidResultError",
			error_type: "invalid_result",
			error_code: "RESULT_TOO_LARGE",
			message: `handler "${handler}" returned a result of ${bytes} bytes as JSON; the limit is ${MAX_STEP_RESULT_BYTES} bytes (MAX_STEP_RESULT_BYTES): store large data elsewhere and return a reference`,
			retryable: false,
			metadata: { result_bytes: bytes, limit_bytes: MAX_STEP_RESULT_BYTES },
		});
	}
	return {
		success: true,
		// Round-tripped, so that a dependent sees now exactly what it will see after storage (Dates as strings).
		result: JSON.parse(encoded.json),
		metadata: jsonSafeMetadata(returned.metadata),
		execution_time_ms: executionTimeMs,
	};
}

/** A handler without the method its template names: a permanent failure (retrying cannot add a method). */
function noSuchMethod(handler: string, method: string, executionTimeMs: number): StepOutcome {
	return failed(executionTimeMs, {
		name: "MethodDispatchError",
		error_type: "permanent_error",
		error_code: "METHOD_NOT_FOUND",
		message: `handler "${handler}" has no method "${method}" (the template's handler.method names the method called instead of call)`,
		retryable: false,
	});
}

/**
 * `result_schema`: a result that does not match fails the attempt for good, naming each failing path
 * and rule (the handler returned the wrong shape; running it again would return the same).
 */
function checkResultSchema(
	handler: string,
	schema: unknown,
	outcome: Extract<StepOutcome, { success: true }>,
): StepOutcome {
	const violations = schemaCheckForWire(schema)(outcome.result);
	if (violations.length === 0) return outcome;
	const shown = violations.slice(0, MAX_SCHEMA_ERRORS_SHOWN);
	return failed(outcome.execution_time_ms, {
		name: "ResultSchemaError",
		error_type: "invalid_result",
		error_code: "RESULT_SCHEMA_MISMATCH",
		message: `handler "${handler}" returned a result that does not match the step's result_schema: ${shown.map(describeViolation).join("; ")}${violations.length > shown.length ? `; and ${violations.length - shown.length} more` : ""}`,
		retryable: false,
		metadata: { violations: shown.map(({ path, rule, message }) => ({ path, rule, message })) },
	});
}

/** The handler's own value, or TIMED_OUT once `ms` have passed; the timer never outlives the handler. */
async function withinTimeout<T>(run: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const expired = new Promise<typeof TIMED_OUT>((resolve) => {
		timer = setTimeout(() => resolve(TIMED_OUT), ms);
	});
	try {
		return await Promise.race([run, expired]);
	} finally {
		clearTimeout(timer);
	}
}

type EncodedResult = { ok: true; json: string } | { ok: false; reason: string };

function encodeResult(result: unknown): EncodedResult {
	// JSON.stringify would quietly drop a function or symbol, write NaN or Infinity as null and a Map or a
	// Set as {}: a value changed on the way to storage is refused instead, naming where it is. (An
	// undefined field is left out and a Date becomes its ISO string, as JSON itself has it.)
	const paths = new Map<object, string>();
	let lost: string | null = null;
	function watch(this: unknown, key: string, value: unknown): unknown {
		const holder = paths.get(this as object);
		const at =
			holder === undefined ? "result" : Array.isArray(this) ? `${holder}[${key}]` : `${holder}.${key}`;
		if (lost === null) {
			if (typeof value === "function" || typeof value === "symbol") {
				lost = `${at} is a ${typeof value}, which JSON cannot hold`;
			} else if (typeof value === "number" && !Number.isFinite(value)) {
				lost = `${at} is ${value}, which JSON cannot hold (it would be stored as null)`;
			} else if (value instanceof Map || value instanceof Set) {
				lost = `${at} is a ${value.constructor.name}, which JSON would store as {} (convert it to an object or a list)`;
			}
		}
		if (value !== null && typeof value === "object") paths.set(value, at);
		return value;
	}
	try {
		const json = JSON.stringify(result === undefined ? null : result, watch);
		if (lost !== null) return { ok: false, reason: lost };
		// JSON.stringify returns undefined for a bare function or symbol.
		if (json === undefined) return { ok: false, reason: `${describe(result)} has no JSON form` };
		return { ok: true, json };
	} catch (error) {
		return { ok: false, reason: messageOf(error) };
	}
}

/** Thrown StepErrors keep their classification; anything else is a retryable handler_error. */
function serializeThrown(thrown: unknown): SerializedStepError {
	try {
		if (isStepErrorLike(thrown)) {
			return serializedError({
				name: stringOr(thrown.name, "StepError"),
				error_type: thrown.errorType ?? (thrown.retryable ? "retryable_error" : "permanent_error"),
				error_code: stringOrNull(thrown.errorCode),
				message: messageOf(thrown),
				retryable: thrown.retryable,
				retry_after_seconds: thrown.retryAfterSeconds,
				metadata: thrown.metadata,
			});
		}
		return serializedError({
			name: errorClassName(thrown),
			error_type: "handler_error",
			error_code: null,
			message: messageOf(thrown),
			retryable: true,
		});
	} catch {
		// A value hostile enough to throw while being read (a proxy, a throwing getter) still yields an outcome.
		return serializedError({
			name: "NonError",
			error_type: "handler_error",
			error_code: null,
			message: "handler threw a value that could not be read",
			retryable: true,
		});
	}
}

interface StepErrorLike {
	name?: unknown;
	message?: unknown;
	/** Absent on the reference SDK's own PermanentError/RetryableError, which `retryable` classifies. */
	errorType?: string;
	errorCode?: unknown;
	retryable: boolean;
	retryAfterSeconds?: unknown;
	metadata?: unknown;
}

// Fields, not only instanceof: a handler bundle may carry its own copy of the error classes.
function isStepErrorLike(value: unknown): value is StepErrorLike {
	if (value instanceof StepError) return true;
	if (typeof value !== "object" || value === null) return false;
	const candidate = value as Record<string, unknown>;
	if (typeof candidate.retryable !== "boolean") return false;
	return (
		typeof candidate.errorType === "string" ||
		candidate.name === "PermanentError" ||
		candidate.name === "RetryableError"
	);
}

type ErrorFields = Omit<SerializedStepError, "retry_after_seconds" | "metadata"> & {
	retry_after_seconds?: unknown;
	metadata?: unknown;
};

function failed(executionTimeMs: number, fields: ErrorFields): StepOutcome {
	return { success: false, error: serializedError(fields), execution_time_ms: executionTimeMs };
}

function serializedError(fields: ErrorFields): SerializedStepError {
	return {
		name: fields.name,
		error_type: fields.error_type,
		error_code: fields.error_code,
		message: fields.message,
		retryable: fields.retryable,
		retry_after_seconds: retryAfter(fields.retry_after_seconds),
		metadata: jsonSafeMetadata(fields.metadata),
	};
}

// Only a usable delay crosses the wire; capping it is the task object's decision.
function retryAfter(value: unknown): number | null {
	return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
}

// Metadata is advisory: unencodable metadata is replaced by a note rather than failing the step over it.
function jsonSafeMetadata(metadata: unknown): Record<string, unknown> {
	if (metadata === undefined || metadata === null) return {};
	if (typeof metadata !== "object" || Array.isArray(metadata)) {
		return { metadata_not_serializable: `expected an object, got ${describe(metadata)}` };
	}
	try {
		const copy: unknown = JSON.parse(JSON.stringify(metadata));
		if (typeof copy === "object" && copy !== null && !Array.isArray(copy))
			return copy as Record<string, unknown>;
		return { metadata_not_serializable: `its JSON form is ${describe(copy)}, not an object` };
	} catch (error) {
		return { metadata_not_serializable: messageOf(error) };
	}
}

function handlerName(handlerClass: StepHandlerClass): string {
	const name: unknown = handlerClass.handlerName;
	return typeof name === "string" && name !== "" ? name : handlerClass.name || "(anonymous handler)";
}

/** The thrown value's class: `TypeError`, a user's `class MyError extends Error`, or `NonError`. */
function errorClassName(thrown: unknown): string {
	if (!(thrown instanceof Error)) {
		if (typeof thrown !== "object" || thrown === null) return "NonError";
		const name = (thrown as { name?: unknown }).name;
		return typeof name === "string" && name !== "" ? name : "NonError";
	}
	// An error's own `name` wins when it was set (DOMException's AbortError); else its constructor's name.
	if (thrown.name !== "" && thrown.name !== "Error") return thrown.name;
	const constructorName = thrown.constructor?.name;
	return typeof constructorName === "string" && constructorName !== "" ? constructorName : "Error";
}

function messageOf(thrown: unknown): string {
	if (typeof thrown === "object" && thrown !== null) {
		const message = (thrown as { message?: unknown }).message;
		if (typeof message === "string") return message;
		// A plain object thrown (`throw {code: 42}`) says nothing as "[object Object]": its JSON does.
		if (Object.prototype.toString.call(thrown) === "[object Object]" && !(thrown instanceof Error)) {
			const json = safeJson(thrown);
			if (json !== undefined)
				return json.length > MAX_THROWN_JSON ? `${json.slice(0, MAX_THROWN_JSON)}…` : json;
		}
	}
	try {
		return String(thrown);
	} catch {
		// An Object.create(null) value has no toString.
		return Object.prototype.toString.call(thrown);
	}
}

/** For messages: `undefined`, `a string`, `an Object`, `a Promise`, `an instance of Foo`. */
function describe(value: unknown): string {
	if (value === null) return "null";
	if (value === undefined) return "undefined";
	if (typeof value !== "object") return `a ${typeof value}`;
	const constructorName = (value as { constructor?: { name?: unknown } }).constructor?.name;
	if (typeof constructorName !== "string" || constructorName === "") return "an object without a class";
	if (constructorName === "Object") return "a plain object";
	return `an instance of ${constructorName}`;
}

function stringOr(value: unknown, fallback: string): string {
	return typeof value === "string" && value !== "" ? value : fallback;
}

function stringOrNull(value: unknown): string | null {
	return typeof value === "string" && value !== "" ? value : null;
}

/** How much of a thrown plain object's JSON its message keeps. */
const MAX_THROWN_JSON = 1_000;

function safeJson(value: unknown): string | undefined {
	try {
		return JSON.stringify(value);
	} catch {
		return undefined;
	}
}
