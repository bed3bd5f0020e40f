// StepContext: every accessor a handler uses, built from the task object's StepRunInput.
import { PermanentError, StepContext } from "tasker-edge";
import { describe, expect, it } from "vitest";
import type { StepRunInput } from "../../src/core/step-outcome";

function runInput(overrides: Partial<StepRunInput> = {}): StepRunInput {
	return {
		task_uuid: "task-1",
		step_uuid: "step-1",
		step_name: "charge_payment",
		namespace: "default",
		task_name: "order_processing",
		task_version: "1.0.0",
		correlation_id: "corr-1",
		callable: "ChargePaymentHandler",
		initialization: { currency: "EUR", retries: 0 },
		context: { order_id: "ORD-1", note: null, zero: 0 },
		dependency_results: { validate_order: { total: 10 }, reserve_inventory: null },
		attempt: 1,
		max_attempts: 3,
		timeout_seconds: 30,
		...overrides,
	};
}

describe("StepContext", () => {
	it("exposes the identity of the task and step", () => {
		const context = new StepContext(runInput());
		expect(context.taskUuid).toBe("task-1");
		expect(context.stepUuid).toBe("step-1");
		expect(context.stepName).toBe("charge_payment");
		expect(context.correlationId).toBe("corr-1");
		expect(context.namespace).toBe("default");
		expect(context.taskName).toBe("order_processing");
		expect(context.taskVersion).toBe("1.0.0");
		expect(context.timeoutSeconds).toBe(30);
		expect(context.inputData).toEqual({ order_id: "ORD-1", note: null, zero: 0 });
		expect(context.stepConfig).toEqual({ currency: "EUR", retries: 0 });
		expect(context.dependencyResults).toEqual({ validate_order: { total: 10 }, reserve_inventory: null });
	});

	it("reads inputs, with a fallback for absent or null keys only", () => {
		const context = new StepContext(runInput());
		expect(context.getInput<string>("order_id")).toBe("ORD-1");
		expect(context.getInput("missing")).toBeUndefined();
		expect(context.getInputOr("missing", "x")).toBe("x");
		expect(context.getInputOr("note", "x")).toBe("x");
		expect(context.getInputOr("zero", 5)).toBe(0);
		expect(context.getInputOr("order_id", "x")).toBe("ORD-1");
	});

	it("never finds inherited Object properties as inputs or config", () => {
		const context = new StepContext(runInput());
		expect(context.getInput("constructor")).toBeUndefined();
		expect(context.getInput("toString")).toBeUndefined();
		expect(context.getConfig("hasOwnProperty")).toBeUndefined();
		expect(context.hasDependencyResult("constructor")).toBe(false);
	});

	it("reads config from handler.initialization", () => {
		const context = new StepContext(runInput());
		expect(context.getConfig<string>("currency")).toBe("EUR");
		expect(context.getConfig("retries")).toBe(0);
		expect(context.getConfig("missing")).toBeUndefined();
	});

	it("returns dependency results, including a stored null", () => {
		const context = new StepContext(runInput());
		expect(context.getDependencyResult<{ total: number }>("validate_order").total).toBe(10);
		expect(context.getDependencyResult("reserve_inventory")).toBeNull();
		expect(context.hasDependencyResult("validate_order")).toBe(true);
		expect(context.hasDependencyResult("reserve_inventory")).toBe(true);
		expect(context.hasDependencyResult("validate_ordr")).toBe(false);
	});

	it("fails permanently on an unknown dependency, listing the available ones", () => {
		const context = new StepContext(runInput());
		let thrown: unknown;
		try {
			context.getDependencyResult("validate_ordr");
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(PermanentError);
		const error = thrown as PermanentError;
		expect(error.errorCode).toBe("UNKNOWN_DEPENDENCY");
		expect(error.retryable).toBe(false);
		expect(error.message).toContain('"validate_ordr"');
		expect(error.message).toContain('"validate_order", "reserve_inventory"');
		expect(error.metadata).toEqual({
			requested: "validate_ordr",
			available: ["validate_order", "reserve_inventory"],
		});
	});

	it("says when there are no dependency results at all", () => {
		const context = new StepContext(runInput({ dependency_results: {} }));
		expect(() => context.getDependencyResult("x")).toThrow(/available: none/);
	});

	it("counts attempts from 1 and knows the first, a retry and the last", () => {
		const first = new StepContext(runInput({ attempt: 1, max_attempts: 3 }));
		expect(first.attempt).toBe(1);
		expect(first.retryCount).toBe(0);
		expect(first.maxAttempts).toBe(3);
		expect(first.isRetry()).toBe(false);
		expect(first.isLastRetry()).toBe(false);

		const second = new StepContext(runInput({ attempt: 2, max_attempts: 3 }));
		expect(second.retryCount).toBe(1);
		expect(second.isRetry()).toBe(true);
		expect(second.isLastRetry()).toBe(false);

		const last = new StepContext(runInput({ attempt: 3, max_attempts: 3 }));
		expect(last.retryCount).toBe(2);
		expect(last.isLastRetry()).toBe(true);

		const only = new StepContext(runInput({ attempt: 1, max_attempts: 1 }));
		expect(only.isRetry()).toBe(false);
		expect(only.isLastRetry()).toBe(true);
	});

	it("keeps the idempotency key stable across the attempts of one step", () => {
		const first = new StepContext(runInput({ attempt: 1 }));
		const retry = new StepContext(runInput({ attempt: 2 }));
		const otherStep = new StepContext(runInput({ step_uuid: "step-2" }));
		expect(first.idempotencyKey).toBe("task-1:step-1");
		expect(retry.idempotencyKey).toBe(first.idempotencyKey);
		expect(otherStep.idempotencyKey).not.toBe(first.idempotencyKey);
	});
});
