// runStepHandler: every way a handler can end, turned into a JSON-safe StepOutcome, without ever throwing.
import {
	PermanentError,
	RetryableError,
	type StepContext,
	StepHandler,
	type StepHandlerClass,
	StepHandlerResult,
} from "tasker-edge";
import { describe, expect, it, vi } from "vitest";
import type { SerializedStepError, StepOutcome, StepRunInput } from "../../src/core/step-outcome";
import { runStepHandler } from "../../src/handler-api/run-step-handler";
import { MAX_STEP_RESULT_BYTES } from "../../src/limits";

const input: StepRunInput = {
	task_uuid: "task-1",
	step_uuid: "step-1",
	step_name: "work",
	namespace: "default",
	task_name: "t",
	task_version: "1.0.0",
	correlation_id: "corr-1",
	callable: "TestHandler",
	initialization: {},
	context: { n: 2 },
	dependency_results: {},
	attempt: 1,
	max_attempts: 3,
	timeout_seconds: 30,
};

function handlerFor(call: (context: StepContext) => unknown): StepHandlerClass {
	return class TestHandler extends StepHandler {
		static override handlerName = "TestHandler";
		call(context: StepContext): Promise<StepHandlerResult> {
			return call(context) as Promise<StepHandlerResult>;
		}
	};
}

async function run(call: (context: StepContext) => unknown): Promise<StepOutcome> {
	return runStepHandler(handlerFor(call), input);
}

async function runError(call: (context: StepContext) => unknown): Promise<SerializedStepError> {
	const outcome = await run(call);
	if (outcome.success) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
	// The outcome crosses a queue/RPC hop: it must survive JSON unchanged.
	expect(JSON.parse(JSON.stringify(outcome))).toEqual(outcome);
	return outcome.error;
}

describe("runStepHandler: success", () => {
	it("returns the result, metadata and the measured execution time", async () => {
		let now = 1_000;
		const clock = () => now;
		const handler = handlerFor(async (context) => {
			now += 42;
			return StepHandlerResult.success({ doubled: context.getInputOr("n", 0) * 2 }, { source: "test" });
		});
		expect(await runStepHandler(handler, input, clock)).toEqual({
			success: true,
			result: { doubled: 4 },
			metadata: { source: "test" },
			execution_time_ms: 42,
		});
	});

	it("accepts a synchronous call", async () => {
		const handler = class SyncHandler extends StepHandler {
			static override handlerName = "SyncHandler";
			call(): StepHandlerResult {
				return StepHandlerResult.success("done");
			}
		};
		expect(await runStepHandler(handler, input)).toMatchObject({
			success: true,
			result: "done",
			metadata: {},
		});
	});

	it("stores undefined as null", async () => {
		const outcome = await run(() => StepHandlerResult.success(undefined));
		expect(outcome).toMatchObject({ success: true, result: null });
	});

	it("stores the JSON round trip of the result (Dates become strings, undefined fields vanish)", async () => {
		const outcome = await run(() =>
			StepHandlerResult.success({ at: new Date("2026-01-02T03:04:05.000Z"), gone: undefined, n: 1 }),
		);
		expect(outcome).toMatchObject({ success: true, result: { at: "2026-01-02T03:04:05.000Z", n: 1 } });
		expect(outcome.success && Object.hasOwn(outcome.result as object, "gone")).toBe(false);
	});

	it("fails permanently on a result JSON cannot encode (BigInt, cycles, a bare function)", async () => {
		const cyclic: Record<string, unknown> = {};
		cyclic.self = cyclic;
		for (const result of [{ id: 10n }, cyclic, () => 1]) {
			const error = await runError(() => StepHandlerResult.success(result));
			expect(error).toMatchObject({
				error_type: "invalid_result",
				error_code: "RESULT_NOT_SERIALIZABLE",
				retryable: false,
			});
			expect(error.message).toContain('"TestHandler"');
		}
	});

	// Found by probing: a function was dropped, NaN stored as null, a Map as {}, and the step completed.
	it("fails permanently on a value JSON would change on the way to storage, naming where it is", async () => {
		const cases: Array<[unknown, string]> = [
			[{ total: 3, f: () => 1 }, "result.f is a function, which JSON cannot hold"],
			[
				{ stats: { mean: Number.NaN } },
				"result.stats.mean is NaN, which JSON cannot hold (it would be stored as null)",
			],
			[[1, Number.POSITIVE_INFINITY], "result[1] is Infinity, which JSON cannot hold"],
			[{ seen: new Set([1]) }, "result.seen is a Set, which JSON would store as {}"],
			[{ items: [{ by: new Map() }] }, "result.items[0].by is a Map, which JSON would store as {}"],
			[{ tag: Symbol("x") }, "result.tag is a symbol"],
		];
		for (const [result, reason] of cases) {
			const error = await runError(() => StepHandlerResult.success(result));
			expect(error).toMatchObject({ error_code: "RESULT_NOT_SERIALIZABLE", retryable: false });
			expect(error.message).toContain(reason);
		}
	});

	it("fails permanently on a result larger than MAX_STEP_RESULT_BYTES, naming the size and the limit", async () => {
		const big = "x".repeat(MAX_STEP_RESULT_BYTES);
		const error = await runError(() => StepHandlerResult.success(big));
		expect(error).toMatchObject({
			error_type: "invalid_result",
			error_code: "RESULT_TOO_LARGE",
			retryable: false,
		});
		expect(error.message).toContain(String(MAX_STEP_RESULT_BYTES + 2));
		expect(error.message).toContain(String(MAX_STEP_RESULT_BYTES));
		expect(error.metadata).toEqual({
			result_bytes: MAX_STEP_RESULT_BYTES + 2,
			limit_bytes: MAX_STEP_RESULT_BYTES,
		});
	});

	it("accepts a result of exactly MAX_STEP_RESULT_BYTES", async () => {
		const outcome = await run(() => StepHandlerResult.success("x".repeat(MAX_STEP_RESULT_BYTES - 2)));
		expect(outcome.success).toBe(true);
	});

	it("counts the size in UTF-8 bytes, not characters", async () => {
		const error = await runError(() => StepHandlerResult.success("é".repeat(MAX_STEP_RESULT_BYTES / 2)));
		expect(error.error_code).toBe("RESULT_TOO_LARGE");
	});

	it("replaces unencodable metadata by a note instead of failing the step", async () => {
		const outcome = await run(() => StepHandlerResult.success(1, { big: 1n }));
		expect(outcome.success).toBe(true);
		expect(outcome.success && outcome.metadata.metadata_not_serializable).toEqual(expect.any(String));
	});
});

describe("runStepHandler: returned failures", () => {
	it("applies the defaults: handler_error, retryable", async () => {
		expect(await runError(() => StepHandlerResult.failure("upstream said no"))).toEqual({
			name: "StepHandlerResult",
			error_type: "handler_error",
			error_code: null,
			message: "upstream said no",
			retryable: true,
			retry_after_seconds: null,
			metadata: {},
		});
	});

	it("keeps every field the handler set", async () => {
		const error = await runError(() =>
			StepHandlerResult.failure("rate limited", {
				errorType: "retryable_error",
				errorCode: "RATE_LIMITED",
				retryable: true,
				retryAfterSeconds: 12,
				metadata: { status: 429 },
			}),
		);
		expect(error).toEqual({
			name: "StepHandlerResult",
			error_type: "retryable_error",
			error_code: "RATE_LIMITED",
			message: "rate limited",
			retryable: true,
			retry_after_seconds: 12,
			metadata: { status: 429 },
		});
	});

	it("keeps a non-retryable verdict", async () => {
		const error = await runError(() =>
			StepHandlerResult.failure("bad", { errorType: "validation_error", retryable: false }),
		);
		expect(error).toMatchObject({ error_type: "validation_error", retryable: false });
	});
});

describe("runStepHandler: thrown errors", () => {
	it("classifies a PermanentError as permanent_error, not retryable", async () => {
		const error = await runError(() => {
			throw new PermanentError("card declined", { errorCode: "DECLINED", metadata: { bin: "4242" } });
		});
		expect(error).toEqual({
			name: "PermanentError",
			error_type: "permanent_error",
			error_code: "DECLINED",
			message: "card declined",
			retryable: false,
			retry_after_seconds: null,
			metadata: { bin: "4242" },
		});
	});

	it("classifies a RetryableError as retryable_error, with its retry-after", async () => {
		const error = await runError(async () => {
			throw new RetryableError("busy", { errorCode: "BUSY", retryAfterSeconds: 7 });
		});
		expect(error).toEqual({
			name: "RetryableError",
			error_type: "retryable_error",
			error_code: "BUSY",
			message: "busy",
			retryable: true,
			retry_after_seconds: 7,
			metadata: {},
		});
	});

	it("reports a user's subclass by its own class name", async () => {
		class CardDeclined extends PermanentError {}
		const error = await runError(() => {
			throw new CardDeclined("no funds");
		});
		expect(error).toMatchObject({ name: "CardDeclined", error_type: "permanent_error", retryable: false });
	});

	it("classifies by fields an error from a second copy of the API", async () => {
		const foreign = Object.assign(new Error("from another bundle"), {
			name: "PermanentError",
			errorType: "permanent_error",
			errorCode: "X",
			retryable: false,
			retryAfterSeconds: null,
			metadata: { a: 1 },
		});
		const error = await runError(() => {
			throw foreign;
		});
		expect(error).toEqual({
			name: "PermanentError",
			error_type: "permanent_error",
			error_code: "X",
			message: "from another bundle",
			retryable: false,
			retry_after_seconds: null,
			metadata: { a: 1 },
		});
	});

	it("drops an unusable retry-after", async () => {
		for (const retryAfterSeconds of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
			const error = await runError(() => {
				throw new RetryableError("busy", { retryAfterSeconds });
			});
			expect(error.retry_after_seconds).toBeNull();
		}
	});

	it("classifies any other Error as a retryable handler_error named by its class", async () => {
		const error = await runError((context) => {
			// A typical bug: reading a field of a missing input.
			return (context.getInput("absent") as { field: string }).field;
		});
		expect(error).toMatchObject({
			name: "TypeError",
			error_type: "handler_error",
			error_code: null,
			retryable: true,
			retry_after_seconds: null,
			metadata: {},
		});
		expect(error.message).toMatch(/field/);
	});

	it("names a plain Error subclass by its constructor", async () => {
		class UpstreamError extends Error {}
		const error = await runError(() => {
			throw new UpstreamError("502 from upstream");
		});
		expect(error).toMatchObject({ name: "UpstreamError", message: "502 from upstream", retryable: true });
	});

	it("classifies non-Error throws as retryable handler_errors, a plain object's JSON as the message", async () => {
		const cases: Array<[unknown, string]> = [
			["plain string", "plain string"],
			[42, "42"],
			[undefined, "undefined"],
			[null, "null"],
			[{ message: "object with a message" }, "object with a message"],
			// Found by probing: these said "[object Object]".
			[{ code: 42, why: "x" }, '{"code":42,"why":"x"}'],
			[Object.create(null), "{}"],
		];
		for (const [thrown, message] of cases) {
			const error = await runError(() => {
				throw thrown;
			});
			expect(error).toEqual({
				name: "NonError",
				error_type: "handler_error",
				error_code: null,
				message,
				retryable: true,
				retry_after_seconds: null,
				metadata: {},
			});
		}
	});

	it("survives a thrown value whose fields throw when read", async () => {
		const hostile = new Proxy(
			{},
			{
				get() {
					throw new Error("gotcha");
				},
			},
		);
		const error = await runError(() => {
			throw hostile;
		});
		expect(error).toMatchObject({ error_type: "handler_error", retryable: true });
	});

	it("measures the time of a failed attempt too", async () => {
		let now = 0;
		const handler = handlerFor(() => {
			now += 5;
			throw new Error("x");
		});
		const outcome = await runStepHandler(handler, input, () => now);
		expect(outcome.execution_time_ms).toBe(5);
	});

	it("catches a failing constructor", async () => {
		const handler = class BrokenHandler extends StepHandler {
			static override handlerName = "BrokenHandler";
			constructor() {
				super();
				throw new RangeError("cannot build");
			}
			call(): StepHandlerResult {
				return StepHandlerResult.success(1);
			}
		};
		const outcome = await runStepHandler(handler, input);
		expect(outcome).toMatchObject({ success: false, error: { name: "RangeError", message: "cannot build" } });
	});
});

describe("runStepHandler: invalid return values", () => {
	it("fails permanently when the handler returns something other than a StepHandlerResult", async () => {
		const cases: Array<[unknown, string]> = [
			[undefined, "undefined"],
			[{ success: true, result: 1 }, "a plain object"],
			["ok", "a string"],
			[new Map(), "an instance of Map"],
		];
		for (const [returned, description] of cases) {
			const error = await runError(() => returned);
			expect(error).toMatchObject({
				name: "InvalidResultError",
				error_type: "invalid_handler_result",
				retryable: false,
			});
			expect(error.message).toContain('"TestHandler"');
			expect(error.message).toContain(`returned ${description}`);
		}
	});
});

describe("a handler that outlives its timeout_seconds", () => {
	it("is no longer waited for: the attempt is reported as a retryable timeout, its late value ignored", async () => {
		vi.useFakeTimers();
		try {
			let finish: (value: StepHandlerResult) => void = () => {};
			const hung = handlerFor(() => new Promise<StepHandlerResult>((resolve) => (finish = resolve)));
			const running = runStepHandler(hung, { ...input, timeout_seconds: 2 });
			await vi.advanceTimersByTimeAsync(1_999);
			let settled = false;
			void running.then(() => (settled = true));
			await Promise.resolve();
			expect(settled).toBe(false);
			await vi.advanceTimersByTimeAsync(1);
			const outcome = await running;
			expect(outcome).toMatchObject({
				success: false,
				error: {
					name: "StepTimeoutError",
					error_type: "timeout",
					error_code: "STEP_TIMEOUT",
					retryable: true,
					metadata: { timeout_seconds: 2, detected_by: "consumer" },
				},
			});
			if (!outcome.success) expect(outcome.error.message).toContain('"work" did not finish within');
			finish(StepHandlerResult.success({ too: "late" }));
			expect(vi.getTimerCount()).toBe(0);
		} finally {
			vi.useRealTimers();
		}
	});

	it("a handler that finishes in time leaves no timer behind", async () => {
		vi.useFakeTimers();
		try {
			const quick = handlerFor(async () => StepHandlerResult.success(1));
			expect(await runStepHandler(quick, input)).toMatchObject({ success: true, result: 1 });
			expect(vi.getTimerCount()).toBe(0);
		} finally {
			vi.useRealTimers();
		}
	});
});
