// How a failure is classified on its way to the task object (runStepHandler), for class handlers: the
// reference's error types and retry flags, carried as plain data.
import {
	ErrorType,
	PermanentError,
	RetryableError,
	type StepContext,
	StepHandler,
	type StepHandlerClass,
	StepHandlerResult,
} from "tasker-edge";
import { describe, expect, it } from "vitest";
import { outcomeOf } from "./sdk-helpers";

function throwing(value: unknown): StepHandlerClass {
	return class TestHandler extends StepHandler {
		static handlerName = "TestHandler";
		async call(): Promise<StepHandlerResult> {
			throw value;
		}
	};
}

function returning(result: StepHandlerResult): StepHandlerClass {
	return class TestHandler extends StepHandler {
		static handlerName = "TestHandler";
		async call(): Promise<StepHandlerResult> {
			return result;
		}
	};
}

/** The reference SDK's own error classes, as a bundle that carries its copy would throw them. */
class ReferencePermanentError extends Error {
	readonly retryable = false;
	readonly metadata: Record<string, unknown>;
	constructor(message: string, metadata?: Record<string, unknown>) {
		super(message);
		this.name = "PermanentError";
		this.metadata = metadata ?? {};
	}
}

class ReferenceRetryableError extends Error {
	readonly retryable = true;
	readonly metadata: Record<string, unknown> = {};
	constructor(message: string) {
		super(message);
		this.name = "RetryableError";
	}
}

describe("thrown errors", () => {
	const table: Array<[string, unknown, string, boolean]> = [
		["PermanentError", new PermanentError("bad card"), "permanent_error", false],
		["RetryableError", new RetryableError("try later"), "retryable_error", true],
		["TypeError", new TypeError("x is undefined"), "handler_error", true],
		["a string", "oops", "handler_error", true],
		["the reference's PermanentError", new ReferencePermanentError("bad"), "permanent_error", false],
		["the reference's RetryableError", new ReferenceRetryableError("later"), "retryable_error", true],
	];

	for (const [label, thrown, errorType, retryable] of table) {
		it(`${label} is ${errorType}, retryable ${retryable}`, async () => {
			const outcome = await outcomeOf(throwing(thrown));
			expect(outcome).toMatchObject({ success: false, error: { error_type: errorType, retryable } });
		});
	}

	it("keeps the reference's (message, metadata) form of the error classes", async () => {
		const outcome = await outcomeOf(throwing(new PermanentError("declined", { order_id: "ORD-1" })));
		expect(outcome).toMatchObject({
			error: {
				name: "PermanentError",
				message: "declined",
				metadata: { order_id: "ORD-1" },
				error_code: null,
			},
		});
	});

	it("keeps tasker-edge's options form: error code, metadata, retry-after", async () => {
		const error = new RetryableError("rate limited", {
			errorCode: "RL",
			metadata: { n: 1 },
			retryAfterSeconds: 9,
		});
		expect(await outcomeOf(throwing(error))).toMatchObject({
			error: { error_type: "retryable_error", error_code: "RL", metadata: { n: 1 }, retry_after_seconds: 9 },
		});
	});
});

describe("returned failures", () => {
	const table: Array<[StepHandlerResult, string, boolean]> = [
		[StepHandlerResult.failure("default"), "handler_error", true],
		[StepHandlerResult.failure("p", ErrorType.PERMANENT_ERROR, false), "permanent_error", false],
		[StepHandlerResult.failure("r", ErrorType.RETRYABLE_ERROR), "retryable_error", true],
		[StepHandlerResult.failure("v", ErrorType.VALIDATION_ERROR, false), "validation_error", false],
		[StepHandlerResult.failure("t", ErrorType.TIMEOUT, true), "timeout", true],
		[StepHandlerResult.failure("d", "dependency_error", false), "dependency_error", false],
	];

	for (const [result, errorType, retryable] of table) {
		it(`${result.errorMessage}: ${errorType}, retryable ${retryable}`, async () => {
			expect(await outcomeOf(returning(result))).toMatchObject({
				success: false,
				error: { name: "StepHandlerResult", error_type: errorType, retryable, message: result.errorMessage },
			});
		});
	}

	it("carries the error code and metadata", async () => {
		const result = StepHandlerResult.failure(
			"x",
			"payment_error",
			false,
			{ gateway: "stripe" },
			"CARD_DECLINED",
		);
		expect(await outcomeOf(returning(result))).toMatchObject({
			error: { error_code: "CARD_DECLINED", metadata: { gateway: "stripe" } },
		});
	});

	it("uses a backoff hint's delay as the retry delay when the result names none", async () => {
		const hinted = new StepHandlerResult({
			success: false,
			errorMessage: "busy",
			orchestrationMetadata: { backoffHint: { backoffType: "ServerRequested", delaySeconds: 12 } },
		});
		expect(await outcomeOf(returning(hinted))).toMatchObject({ error: { retry_after_seconds: 12 } });
		const both = new StepHandlerResult({
			success: false,
			errorMessage: "busy",
			retryAfterSeconds: 3,
			orchestrationMetadata: { backoffHint: { backoffType: "ServerRequested", delaySeconds: 12 } },
		});
		expect(await outcomeOf(returning(both))).toMatchObject({ error: { retry_after_seconds: 3 } });
	});

	it("a handler that outlives timeout_seconds is a retryable timeout", async () => {
		class SlowHandler extends StepHandler {
			static handlerName = "SlowHandler";
			call(_context: StepContext): Promise<StepHandlerResult> {
				return new Promise(() => {});
			}
		}
		const outcome = await outcomeOf(SlowHandler, { timeout_seconds: 0.01 });
		expect(outcome).toMatchObject({ success: false, error: { error_type: "timeout", retryable: true } });
	});
});
