// handler.method and result_schema in the consumer: the named method runs instead of call (bound to
// the handler), a missing one is a permanent failure, a result breaking result_schema fails for good.
import { defineHandler, type StepContext, StepHandler, StepHandlerResult } from "tasker-edge";
import { describe, expect, it } from "vitest";
import type { StepRunInput } from "../../src/core/step-outcome";
import { classHasMethod } from "../../src/handler-api/method-dispatch";
import { runStepHandler } from "../../src/handler-api/run-step-handler";

const input: StepRunInput = {
	task_uuid: "task-1",
	step_uuid: "step-1",
	step_name: "refund",
	namespace: "default",
	task_name: "t",
	task_version: "1.0.0",
	correlation_id: "corr-1",
	callable: "MultiMethod",
	initialization: {},
	context: {},
	dependency_results: {},
	attempt: 1,
	max_attempts: 3,
	timeout_seconds: 30,
};

class MultiMethod extends StepHandler {
	static override handlerName = "MultiMethod";
	readonly prefix = "via";

	call(_context: StepContext): StepHandlerResult {
		return StepHandlerResult.success({ method: "call" });
	}

	process_refund(context: StepContext): StepHandlerResult {
		return StepHandlerResult.success({ method: `${this.prefix} process_refund`, step: context.stepName });
	}
}

describe("handler.method", () => {
	it("runs call when no method is named", async () => {
		expect(await runStepHandler(MultiMethod, input)).toMatchObject({
			success: true,
			result: { method: "call" },
		});
	});

	it("runs the named method instead, bound to the handler instance", async () => {
		expect(await runStepHandler(MultiMethod, { ...input, method: "process_refund" })).toMatchObject({
			success: true,
			result: { method: "via process_refund", step: "refund" },
		});
	});

	it("fails for good, clearly, when the handler has no such method (or names one of Object's)", async () => {
		for (const method of ["missing", "toString", "prefix"]) {
			const outcome = await runStepHandler(MultiMethod, { ...input, method });
			expect(outcome).toMatchObject({
				success: false,
				error: {
					name: "MethodDispatchError",
					error_type: "permanent_error",
					error_code: "METHOD_NOT_FOUND",
					retryable: false,
					message: `handler "MultiMethod" has no method "${method}" (the template's handler.method names the method called instead of call)`,
				},
			});
		}
	});

	it("classHasMethod answers for validation, from the class alone", () => {
		expect(classHasMethod(MultiMethod, "process_refund")).toBe(true);
		expect(classHasMethod(MultiMethod, "call")).toBe(true);
		expect(classHasMethod(MultiMethod, "missing")).toBe(false);
		expect(classHasMethod(MultiMethod, "constructor")).toBe(false);
	});

	it("on a functional handler (one entry point), any named method runs its function, as Tasker's DSL examples expect", async () => {
		const Validate = defineHandler("MultiMethodValidate", {}, async ({ context }) => ({
			invoked: "validate",
			step: context.stepName,
		}));
		expect(classHasMethod(Validate, "validate")).toBe(true);
		expect(classHasMethod(Validate, "toString")).toBe(false);
		expect(
			await runStepHandler(Validate, { ...input, callable: "MultiMethodValidate", method: "validate" }),
		).toMatchObject({
			success: true,
			result: { invoked: "validate", step: "refund" },
		});
	});
});

describe("result_schema", () => {
	const schema = { type: "object", required: ["method"], properties: { method: { const: "call" } } };

	it("lets a matching result through unchanged", async () => {
		expect(await runStepHandler(MultiMethod, { ...input, result_schema: schema })).toMatchObject({
			success: true,
			result: { method: "call" },
		});
	});

	it("fails a result that breaks it, for good, naming each path and rule", async () => {
		const outcome = await runStepHandler(MultiMethod, {
			...input,
			method: "process_refund",
			result_schema: schema,
		});
		expect(outcome).toMatchObject({
			success: false,
			error: {
				name: "ResultSchemaError",
				error_type: "invalid_result",
				error_code: "RESULT_SCHEMA_MISMATCH",
				retryable: false,
				metadata: { violations: [{ path: "method", rule: "const" }] },
			},
		});
		expect(outcome.success === false && outcome.error.message).toMatch(
			/^handler "MultiMethod" returned a result that does not match the step's result_schema: method: /,
		);
	});
});
