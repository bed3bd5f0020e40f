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

	it("reads inputs, with a fallback for absent keys only (a null input is a value, as in the reference)", () => {
		const context = new StepContext(runInput());
		expect(context.getInput<string>("order_id")).toBe("ORD-1");
		expect(context.getInput("missing")).toBeUndefined();
		expect(context.getInputOr("missing", "x")).toBe("x");
		expect(context.getInputOr("note", "x")).toBeNull();
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

	it("answers null for a step that is not an ancestor (a branch not taken), as the reference does", () => {
		const context = new StepContext(runInput());
		expect(context.getDependencyResult("validate_ordr")).toBeNull();
		expect(context.getDependencyResult("constructor")).toBeNull();
		expect(context.getDependencyField("validate_ordr", "total")).toBeNull();
	});

	it("requireDependencyResult fails permanently on an unknown dependency, listing the available ones", () => {
		const context = new StepContext(runInput());
		expect(context.requireDependencyResult("reserve_inventory")).toBeNull();
		let thrown: unknown;
		try {
			context.requireDependencyResult("validate_ordr");
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
		expect(() => context.requireDependencyResult("x")).toThrow(/available: none/);
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

		expect(last.maxRetries).toBe(3);

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

describe("StepContext, the reference's accessors", () => {
	const nested = runInput({
		dependency_results: {
			analyze_csv: { csv_file_path: "/data/a.csv", stats: { rows: 120, columns: ["sku", "qty"] } },
			process_batch_001: { items_processed: 10 },
			process_batch_002: { items_processed: 7 },
			process_batch_003: null,
			other_step: 5,
		},
	});

	it("names the handler it runs", () => {
		expect(new StepContext(runInput()).handlerName).toBe("ChargePaymentHandler");
	});

	it("reads a nested field of a dependency result, null when any part is missing", () => {
		const context = new StepContext(nested);
		expect(context.getDependencyField("analyze_csv", "csv_file_path")).toBe("/data/a.csv");
		expect(context.getDependencyField("analyze_csv", "stats", "rows")).toBe(120);
		expect(context.getDependencyField("analyze_csv", "stats", "columns")).toEqual(["sku", "qty"]);
		expect(context.getDependencyField("analyze_csv")).toEqual(nested.dependency_results.analyze_csv);
		expect(context.getDependencyField("analyze_csv", "csv_file_path", "length")).toBeNull();
		expect(context.getDependencyField("analyze_csv", "stats", "missing")).toBeUndefined();
		expect(context.getDependencyField("process_batch_003", "x")).toBeNull();
		expect(context.getDependencyField("analyze_csv", "constructor")).toBeUndefined();
	});

	it("lists the dependency names and collects batch workers by prefix, skipping null results", () => {
		const context = new StepContext(nested);
		expect(context.getDependencyResultKeys()).toEqual([
			"analyze_csv",
			"process_batch_001",
			"process_batch_002",
			"process_batch_003",
			"other_step",
		]);
		expect(context.getAllDependencyResults("process_batch_")).toEqual([
			{ items_processed: 10 },
			{ items_processed: 7 },
		]);
		expect(context.getAllDependencyResults("nothing_")).toEqual([]);
	});

	it("returns a dependency's stored result as the handler returned it, without unwrapping a `result` key", () => {
		// Stored results are the handler's own value; the reference unwraps its envelope to reach the same value.
		const context = new StepContext(runInput({ dependency_results: { square: { result: 36 } } }));
		expect(context.getDependencyResult("square")).toEqual({ result: 36 });
		expect(context.getDependencyField("square", "result")).toBe(36);
	});

	it("has empty step inputs and no checkpoint unless the engine gives them", () => {
		const context = new StepContext(runInput());
		expect(context.stepInputs).toEqual({});
		expect(context.checkpoint).toBeNull();
		expect(context.checkpointCursor).toBeNull();
		expect(context.checkpointItemsProcessed).toBe(0);
		expect(context.accumulatedResults).toBeNull();
		expect(context.hasCheckpoint()).toBe(false);
		expect(new StepContext(runInput({ checkpoint: null })).hasCheckpoint()).toBe(false);
	});

	it("reads step inputs and the checkpoint fields", () => {
		const cursor = { batch_id: "001", start_cursor: 0, end_cursor: 100, batch_size: 100 };
		const context = new StepContext(
			runInput({
				step_inputs: { cursor, is_no_op: false },
				checkpoint: { cursor: 40, items_processed: 40, accumulated_results: { sum: 820 } },
			}),
		);
		expect(context.stepInputs).toEqual({ cursor, is_no_op: false });
		expect(context.checkpoint).toEqual({
			cursor: 40,
			items_processed: 40,
			accumulated_results: { sum: 820 },
		});
		expect(context.checkpointCursor).toBe(40);
		expect(context.checkpointItemsProcessed).toBe(40);
		expect(context.accumulatedResults).toEqual({ sum: 820 });
		expect(context.hasCheckpoint()).toBe(true);
	});

	it("treats a checkpoint at cursor 0 as a checkpoint, and one without accumulated results as such", () => {
		const context = new StepContext(runInput({ checkpoint: { cursor: 0, items_processed: 0 } }));
		expect(context.hasCheckpoint()).toBe(true);
		expect(context.checkpointCursor).toBe(0);
		expect(context.accumulatedResults).toBeNull();
	});
});
