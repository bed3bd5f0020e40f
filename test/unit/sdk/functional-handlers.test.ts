// defineHandler and friends: injection, the reference's wrapping and classification rules, the decision and
// batch variants' wire shapes, and that the registry finds functional handlers like classes.
import {
	Decision,
	defineBatchAnalyzer,
	defineBatchWorker,
	defineDecisionHandler,
	defineHandler,
	PermanentError,
	RetryableError,
	StepContext,
	StepHandler,
	StepHandlerResult,
} from "tasker-edge";
import { describe, expect, it } from "vitest";
import { collectHandlers } from "../../../src/registry/handler-registry";
import { outcomeOf, stepInput } from "./sdk-helpers";

const deps = { validate_cart: { total: 42 }, other: { x: 1 } };

describe("defineHandler", () => {
	it("returns a named StepHandler subclass with the reference's version default", () => {
		const Handler = defineHandler("process_payment", {}, async () => ({}));
		expect(Handler.handlerName).toBe("process_payment");
		expect(Handler.handlerVersion).toBe("1.0.0");
		expect(Handler.name).toBe("process_payment");
		expect(new Handler()).toBeInstanceOf(StepHandler);
		expect(defineHandler("v", { version: "3.0.0" }, async () => ({})).handlerVersion).toBe("3.0.0");
	});

	it("injects dependency results and inputs by parameter name, and the context", async () => {
		let seen: Record<string, unknown> = {};
		const Handler = defineHandler(
			"process_payment",
			{ depends: { cart: "validate_cart", missing: "not_a_step" }, inputs: { paymentInfo: "payment_info" } },
			async (args) => {
				seen = {
					cart: args.cart,
					missing: args.missing,
					paymentInfo: args.paymentInfo,
					step: args.context.stepName,
				};
				return { ok: true };
			},
		);
		await outcomeOf(Handler, { dependency_results: deps, context: { payment_info: { card: "tok" } } });
		expect(seen).toEqual({ cart: { total: 42 }, missing: null, paymentInfo: { card: "tok" }, step: "work" });
	});

	const wraps: Array<[string, unknown, unknown]> = [
		["a plain object as the result", { paymentId: "p-1" }, { paymentId: "p-1" }],
		["undefined as {}", undefined, {}],
		["null as {}", null, {}],
		["a number as {result: x}", 7, { result: 7 }],
		["a string as {result: x}", "done", { result: "done" }],
		["an array as {result: x}", [1, 2], { result: [1, 2] }],
		["false as {result: false}", false, { result: false }],
	];
	for (const [label, returned, stored] of wraps) {
		it(`wraps ${label}`, async () => {
			const Handler = defineHandler("h", {}, async () => returned as Record<string, unknown>);
			expect(await outcomeOf(Handler)).toEqual({ success: true, result: stored, metadata: {} });
		});
	}

	it("passes a StepHandlerResult through", async () => {
		const Handler = defineHandler("h", {}, async () =>
			StepHandlerResult.failure("no", "validation_error", false),
		);
		expect(await outcomeOf(Handler)).toMatchObject({
			success: false,
			error: { error_type: "validation_error", retryable: false, message: "no" },
		});
	});

	const throws: Array<[string, unknown, string, boolean]> = [
		["PermanentError", new PermanentError("Payment info required"), "permanent_error", false],
		["RetryableError", new RetryableError("Service unavailable"), "retryable_error", true],
		["any other error", new RangeError("out of range"), "handler_error", true],
	];
	for (const [label, thrown, errorType, retryable] of throws) {
		it(`classifies a thrown ${label} as ${errorType}`, async () => {
			const Handler = defineHandler("h", {}, async () => {
				throw thrown;
			});
			expect(await outcomeOf(Handler)).toMatchObject({
				success: false,
				error: { name: "StepHandlerResult", error_type: errorType, retryable },
			});
		});
	}

	it("records the thrown class of an unexpected error in metadata, as the reference", async () => {
		const Handler = defineHandler("h", {}, async () => {
			throw new RangeError("out of range");
		});
		const result = await new Handler().call(new StepContext(stepInput()));
		expect(result.toJSON()).toMatchObject({
			error_type: "handler_error",
			error_message: "out of range",
			metadata: { errorType: "RangeError" },
		});
	});
});

describe("defineDecisionHandler", () => {
	it("turns Decision.route into a create_steps outcome named after the handler", async () => {
		const Route = defineDecisionHandler(
			"route_order",
			{ depends: { order: "validate_cart" } },
			async ({ order }) =>
				(order as { total: number }).total > 40
					? Decision.route(["process_premium"], { tier: "premium" })
					: Decision.route(["process_standard"]),
		);
		expect(await outcomeOf(Route, { dependency_results: deps })).toEqual({
			success: true,
			result: {
				decision_point_outcome: { type: "create_steps", step_names: ["process_premium"] },
				routing_context: { tier: "premium" },
			},
			metadata: { decision_handler: "route_order", decision_version: "1.0.0" },
		});
		expect(new Route().capabilities).toEqual(["process", "decision", "routing"]);
	});

	it("turns Decision.skip into a no_branches outcome with its reason", async () => {
		const Skip = defineDecisionHandler("skipper", { version: "2.0.0" }, async () =>
			Decision.skip("nothing to do"),
		);
		expect(await outcomeOf(Skip)).toEqual({
			success: true,
			result: { decision_point_outcome: { type: "no_branches" }, reason: "nothing to do" },
			metadata: { decision_handler: "skipper", decision_version: "2.0.0" },
		});
	});
});

describe("defineBatchAnalyzer and defineBatchWorker", () => {
	it("makes a create_batches outcome from {totalItems, batchSize}", async () => {
		const Analyze = defineBatchAnalyzer("analyze", { workerTemplate: "process_batch" }, async () => ({
			totalItems: 250,
			batchSize: 100,
			metadata: { source: "csv" },
		}));
		expect(await outcomeOf(Analyze)).toEqual({
			success: true,
			result: {
				batch_processing_outcome: {
					type: "create_batches",
					worker_template_name: "process_batch",
					worker_count: 3,
					cursor_configs: [
						{ batch_id: "batch_000", start_cursor: 0, end_cursor: 100, batch_size: 100 },
						{ batch_id: "batch_001", start_cursor: 100, end_cursor: 200, batch_size: 100 },
						{ batch_id: "batch_002", start_cursor: 200, end_cursor: 250, batch_size: 50 },
					],
					total_items: 250,
				},
			},
			metadata: { batch_count: 3, total_items: 250, source: "csv" },
		});
	});

	it("gives a batch worker its partition from its step inputs", async () => {
		let seen: unknown;
		const Worker = defineBatchWorker("worker", {}, async ({ batchContext }) => {
			seen = batchContext && {
				batchId: batchContext.batchId,
				start: batchContext.startCursor,
				end: batchContext.endCursor,
				stepSize: batchContext.stepSize,
				isNoOp: batchContext.isNoOp,
				batchSize: batchContext.batchSize,
				metadata: batchContext.batchMetadata,
			};
			return { processed: true };
		});
		const stepInputs = {
			cursor: { batch_id: "batch_001", start_cursor: 100, end_cursor: 200, batch_size: 100 },
			batch_metadata: { cursor_field: "id", failure_strategy: "fail_fast" },
			is_no_op: false,
		};
		expect(await outcomeOf(Worker, { step_inputs: stepInputs })).toMatchObject({ success: true });
		expect(seen).toEqual({
			batchId: "batch_001",
			start: 100,
			end: 200,
			stepSize: 100,
			isNoOp: false,
			batchSize: 100,
			metadata: { cursor_field: "id", failure_strategy: "fail_fast" },
		});
		await outcomeOf(Worker);
		expect(seen).toBeNull();
	});
});

describe("the registry", () => {
	it("discovers functional handlers exported from a module exactly like classes", () => {
		class ClassHandler extends StepHandler {
			static handlerName = "class_handler";
			async call() {
				return StepHandlerResult.success({});
			}
		}
		const Functional = defineHandler("functional_handler", {}, async () => ({}));
		const DecisionFn = defineDecisionHandler("decision_handler", {}, async () => Decision.skip("x"));
		const collected = collectHandlers([
			{ path: "handlers/a.ts", exports: { ClassHandler, Functional, DecisionFn, helper: () => 1 } },
			// Re-exported by an index module: the same handler, not a duplicate.
			{ path: "handlers/index.ts", exports: { Functional } },
		]);
		expect(collected.ok && collected.registry.names()).toEqual([
			"class_handler",
			"decision_handler",
			"functional_handler",
		]);
		expect(collected.ok && collected.registry.get("functional_handler")).toBe(Functional);
	});

	it("names two functional handlers that share a name", () => {
		const collected = collectHandlers([
			{ path: "handlers/a.ts", exports: { A: defineHandler("same", {}, async () => ({})) } },
			{ path: "handlers/b.ts", exports: { B: defineHandler("same", {}, async () => ({})) } },
		]);
		expect(collected.ok).toBe(false);
		expect(!collected.ok && collected.problems.join("\n")).toContain('duplicate handler name "same"');
	});
});
