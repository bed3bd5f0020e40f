// StepHandlerResult, ErrorType and the StepHandler helpers against the reference SDK's shapes and defaults.
import {
	ErrorType,
	isStandardErrorType,
	isTypicallyRetryable,
	type StepContext,
	StepHandler,
	StepHandlerResult,
} from "tasker-edge";
import { describe, expect, it } from "vitest";

describe("StepHandlerResult", () => {
	it("success: the reference's fields and snake_case wire form", () => {
		const result = StepHandlerResult.success({ processed: 100 }, { source: "test" });
		expect(result.isSuccess()).toBe(true);
		expect(result.isFailure()).toBe(false);
		expect(result.toJSON()).toEqual({
			success: true,
			result: { processed: 100 },
			error_message: null,
			error_type: null,
			error_code: null,
			retryable: true,
			metadata: { source: "test" },
			orchestration_metadata: null,
		});
		expect(StepHandlerResult.success({}).metadata).toEqual({});
	});

	it("failure: handler_error and retryable by default", () => {
		expect(StepHandlerResult.failure("boom").toJSON()).toEqual({
			success: false,
			result: null,
			error_message: "boom",
			error_type: "handler_error",
			error_code: null,
			retryable: true,
			metadata: {},
			orchestration_metadata: null,
		});
	});

	it("failure: positional errorType, retryable, metadata, errorCode", () => {
		const result = StepHandlerResult.failure(
			"Gateway timeout",
			ErrorType.TIMEOUT,
			true,
			{ duration_ms: 30000 },
			"GATEWAY_TIMEOUT",
		);
		expect(result.toJSON()).toEqual({
			success: false,
			result: null,
			error_message: "Gateway timeout",
			error_type: "timeout",
			error_code: "GATEWAY_TIMEOUT",
			retryable: true,
			metadata: { duration_ms: 30000 },
			orchestration_metadata: null,
		});
		expect(StepHandlerResult.failure("bad", "validation_error", false).retryable).toBe(false);
	});

	it("failure: tasker-edge's options form still works, with retryAfterSeconds", () => {
		const result = StepHandlerResult.failure("slow down", {
			errorType: "rate_limited",
			errorCode: "RL",
			retryable: true,
			metadata: { a: 1 },
			retryAfterSeconds: 7,
		});
		expect(result).toMatchObject({
			errorType: "rate_limited",
			errorCode: "RL",
			retryable: true,
			metadata: { a: 1 },
			retryAfterSeconds: 7,
		});
		expect(StepHandlerResult.failure("x", {}).errorType).toBe("handler_error");
	});

	it("has a public constructor with the reference's parameters and defaults", () => {
		const result = new StepHandlerResult({
			success: false,
			errorMessage: "m",
			orchestrationMetadata: { backoffHint: { backoffType: "ServerRequested", delaySeconds: 5 } },
		});
		expect(result.toJSON()).toEqual({
			success: false,
			result: null,
			error_message: "m",
			error_type: null,
			error_code: null,
			retryable: true,
			metadata: {},
			orchestration_metadata: { backoffHint: { backoffType: "ServerRequested", delaySeconds: 5 } },
		});
	});
});

describe("ErrorType", () => {
	it("has the reference's values", () => {
		expect({ ...ErrorType }).toEqual({
			PERMANENT_ERROR: "permanent_error",
			RETRYABLE_ERROR: "retryable_error",
			VALIDATION_ERROR: "validation_error",
			TIMEOUT: "timeout",
			HANDLER_ERROR: "handler_error",
		});
	});

	it("knows the standard values and which are typically retryable", () => {
		expect(isStandardErrorType("permanent_error")).toBe(true);
		expect(isStandardErrorType("custom_error")).toBe(false);
		expect(Object.values(ErrorType).filter(isTypicallyRetryable)).toEqual(["retryable_error", "timeout"]);
		expect(isTypicallyRetryable("handler_error")).toBe(false);
	});
});

class ProcessOrderHandler extends StepHandler {
	static handlerName = "process_order";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const orderId = context.getInput<string>("order_id");
		if (!orderId) return this.failure("Missing order_id", ErrorType.VALIDATION_ERROR, false);
		return this.success({ order_id: orderId });
	}
}

class VersionedHandler extends StepHandler {
	static override handlerName = "versioned";
	static override handlerVersion = "2.1.0";

	override get capabilities(): string[] {
		return ["process", "custom"];
	}

	override configSchema(): Record<string, unknown> | null {
		return { type: "object" };
	}

	async call(): Promise<StepHandlerResult> {
		return this.failure("nope");
	}
}

describe("StepHandler", () => {
	it("compiles without `override` and has the reference's defaults", () => {
		const handler = new ProcessOrderHandler();
		expect(handler.name).toBe("process_order");
		expect(handler.version).toBe("1.0.0");
		expect(ProcessOrderHandler.handlerVersion).toBe("1.0.0");
		expect(handler.capabilities).toEqual(["process"]);
		expect(handler.configSchema()).toBeNull();
		expect(handler.toString()).toBe("ProcessOrderHandler(name=process_order, version=1.0.0)");
	});

	it("lets a handler set its version, capabilities and config schema", () => {
		const handler = new VersionedHandler();
		expect(handler.version).toBe("2.1.0");
		expect(handler.capabilities).toEqual(["process", "custom"]);
		expect(handler.configSchema()).toEqual({ type: "object" });
	});

	it("failure() defaults to a retryable handler_error, as the reference", async () => {
		const result = await new VersionedHandler().call();
		expect(result.toJSON()).toMatchObject({ error_type: "handler_error", retryable: true, error_code: null });
	});
});
