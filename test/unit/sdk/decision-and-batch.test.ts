// DecisionHandler and BatchableStepHandler: each helper's result in the reference's wire shape (these are what
// the engine reads to create branches and batch workers).
import {
	aggregateBatchResults,
	applyBatchable,
	applyDecision,
	BatchableMixin,
	BatchableStepHandler,
	createBatches,
	DecisionHandler,
	detectAggregationScenario,
	StepContext,
	StepHandler,
	type StepHandlerResult,
} from "tasker-edge";
import { describe, expect, it } from "vitest";
import { stepInput } from "./sdk-helpers";

class RouteByTier extends DecisionHandler {
	static handlerName = "route_by_tier";
	static handlerVersion = "1.2.0";

	async call(context: StepContext): Promise<StepHandlerResult> {
		const tier = context.getInput<string>("tier");
		if (tier === "enterprise")
			return this.decisionSuccess(["enterprise_validation", "enterprise_processing"], { tier });
		if (tier === "none") return this.skipBranches("no tier", {}, { checked: true });
		if (tier === undefined) return this.decisionFailure("tier is required");
		return this.decisionSuccess(["standard_processing"]);
	}
}

const decide = (context: Record<string, unknown>) =>
	new RouteByTier().call(new StepContext(stepInput({ context }))).then((result) => result.toJSON());

describe("DecisionHandler", () => {
	it("decisionSuccess: create_steps with the step names, routing context and the handler's name and version", async () => {
		expect(await decide({ tier: "enterprise" })).toMatchObject({
			success: true,
			result: {
				decision_point_outcome: {
					type: "create_steps",
					step_names: ["enterprise_validation", "enterprise_processing"],
				},
				routing_context: { tier: "enterprise" },
			},
			metadata: { decision_handler: "route_by_tier", decision_version: "1.2.0" },
		});
		expect((await decide({ tier: "basic" })).result).toEqual({
			decision_point_outcome: { type: "create_steps", step_names: ["standard_processing"] },
		});
	});

	it("skipBranches: no_branches with the reason", async () => {
		expect(await decide({ tier: "none" })).toMatchObject({
			success: true,
			result: { decision_point_outcome: { type: "no_branches" }, reason: "no tier" },
			metadata: { checked: true, decision_handler: "route_by_tier", decision_version: "1.2.0" },
		});
	});

	it("decisionFailure: decision_error, not retryable by default", async () => {
		expect(await decide({})).toMatchObject({
			success: false,
			error_type: "decision_error",
			retryable: false,
			error_message: "tier is required",
		});
		expect(new RouteByTier().capabilities).toEqual(["process", "decision", "routing"]);
	});

	it("applyDecision gives a plain handler the same helpers", () => {
		class Mixed extends StepHandler {
			static handlerName = "mixed";
			constructor() {
				super();
				applyDecision(this);
			}
			async call(): Promise<StepHandlerResult> {
				return (this as unknown as ReturnType<typeof applyDecision<Mixed>>).decisionSuccess(["a"]);
			}
		}
		return new Mixed().call().then((result) => {
			expect(result.toJSON()).toMatchObject({
				result: { decision_point_outcome: { type: "create_steps", step_names: ["a"] } },
				metadata: { decision_handler: "mixed", decision_version: "1.0.0" },
			});
		});
	});
});

class Analyzer extends BatchableStepHandler {
	static handlerName = "analyzer";
	async call(context: StepContext): Promise<StepHandlerResult> {
		const total = context.getInputOr("total", 0);
		if (total === 0) return this.noBatchesResult("empty dataset", { total_rows: 0 });
		return this.batchSuccess("process_batch", this.createCursorConfigs(total, 3), { total_rows: total });
	}
}

const analyze = (total: number) =>
	new Analyzer().call(new StepContext(stepInput({ context: { total } }))).then((result) => result.toJSON());

describe("BatchableStepHandler", () => {
	it("createCursorConfigs splits items over workers as the reference", () => {
		expect(new BatchableMixin().createCursorConfigs(10, 3)).toEqual([
			{ batch_id: "001", cursor_start: 0, cursor_end: 4, row_count: 4, worker_index: 0, total_workers: 3 },
			{ batch_id: "002", cursor_start: 4, cursor_end: 8, row_count: 4, worker_index: 1, total_workers: 3 },
			{ batch_id: "003", cursor_start: 8, cursor_end: 10, row_count: 2, worker_index: 2, total_workers: 3 },
		]);
		expect(new BatchableMixin().createCursorConfigs(2, 5).map((c) => c.batch_id)).toEqual(["001", "002"]);
		expect(new BatchableMixin().createCursorConfigs(0, 5)).toEqual([]);
		expect(() => new BatchableMixin().createCursorConfigs(5, 0)).toThrow("workerCount must be > 0");
	});

	it("createCursorRanges honours maxBatches", () => {
		const ranges = new BatchableMixin().createCursorRanges(1000, 100, 1, 4);
		expect(ranges.map((r) => [r.startCursor, r.endCursor])).toEqual([
			[0, 250],
			[250, 500],
			[500, 750],
			[750, 1000],
		]);
	});

	it("batchSuccess: a create_batches outcome, metadata merged into the result as the reference does", async () => {
		expect(await analyze(10)).toMatchObject({
			success: true,
			result: {
				batch_processing_outcome: {
					type: "create_batches",
					worker_template_name: "process_batch",
					worker_count: 3,
					cursor_configs: [
						{ batch_id: "001", start_cursor: 0, end_cursor: 4, batch_size: 4 },
						{ batch_id: "002", start_cursor: 4, end_cursor: 8, batch_size: 4 },
						{ batch_id: "003", start_cursor: 8, end_cursor: 10, batch_size: 2 },
					],
					total_items: 10,
				},
				total_rows: 10,
			},
			metadata: { total_rows: 10 },
		});
	});

	it("noBatchesResult: a no_batches outcome with the reason", async () => {
		expect((await analyze(0)).result).toEqual({
			batch_processing_outcome: { type: "no_batches" },
			total_rows: 0,
			reason: "empty dataset",
		});
	});

	it("createBatches refuses a worker count that does not match the configs", () => {
		expect(() => createBatches("w", 2, [], 0)).toThrow(
			"cursor_configs length (0) must equal worker_count (2)",
		);
	});

	it("handleNoOpWorker answers for the placeholder worker only", () => {
		const mixin = new BatchableMixin();
		const noOp = new StepContext(
			stepInput({
				step_inputs: {
					cursor: { batch_id: "000", start_cursor: 0, end_cursor: 0, batch_size: 0 },
					is_no_op: true,
				},
			}),
		);
		expect(mixin.handleNoOpWorker(noOp)?.toJSON()).toMatchObject({
			success: true,
			result: { batch_id: "000", no_op: true, processed_count: 0, message: "No batches to process" },
		});
		const real = new StepContext(
			stepInput({ step_inputs: { cursor: { batch_id: "001" }, is_no_op: false } }),
		);
		expect(mixin.handleNoOpWorker(real)).toBeNull();
		expect(mixin.handleNoOpWorker(new StepContext(stepInput()))).toBeNull();
		expect(mixin.getBatchWorkerInputs(new StepContext(stepInput()))).toBeNull();
	});

	it("checkpointYield: the reference's checkpoint_yield result and metadata", () => {
		const mixin = new BatchableMixin();
		expect(mixin.checkpointYield(40, 40, { sum: 820 }).toJSON()).toMatchObject({
			success: true,
			result: {
				type: "checkpoint_yield",
				cursor: 40,
				items_processed: 40,
				accumulated_results: { sum: 820 },
			},
			metadata: { checkpoint_yield: true, batch_worker: true },
		});
		expect(mixin.checkpointYield("2026-01-01", 5).result).toEqual({
			type: "checkpoint_yield",
			cursor: "2026-01-01",
			items_processed: 5,
		});
	});

	it("batchWorkerSuccess and createWorkerOutcome: snake_case worker outcome", () => {
		const mixin = new BatchableMixin();
		const outcome = mixin.createWorkerOutcome(10, 0, 0, 0, [], [], 9);
		expect(mixin.batchWorkerSuccess(outcome).result).toEqual({
			batch_worker_outcome: {
				items_processed: 10,
				items_succeeded: 10,
				items_failed: 0,
				items_skipped: 0,
				results: [],
				errors: [],
				last_cursor: 9,
				batch_metadata: {},
			},
		});
	});
});

describe("aggregation", () => {
	const withBatches = {
		analyze: { batch_processing_outcome: { type: "create_batches" } },
		process_batch_001: { items_processed: 4, items_succeeded: 3, items_failed: 1, errors: [{ row: 2 }] },
		process_batch_002: { items_processed: 6, items_succeeded: 6 },
	};

	it("detectAggregationScenario tells no_batches from the workers' results", () => {
		expect(
			detectAggregationScenario(
				{ analyze: { batch_processing_outcome: { type: "no_batches" } } },
				"analyze",
				"process_batch_",
			),
		).toEqual({
			isNoBatches: true,
			batchableResult: { batch_processing_outcome: { type: "no_batches" } },
			batchResults: {},
			workerCount: 0,
		});
		const scenario = detectAggregationScenario(withBatches, "analyze", "process_batch_");
		expect(scenario.isNoBatches).toBe(false);
		expect(scenario.workerCount).toBe(2);
		expect(Object.keys(scenario.batchResults)).toEqual(["process_batch_001", "process_batch_002"]);
		expect(() => detectAggregationScenario({}, "analyze", "p_")).toThrow(
			"Missing batchable step dependency: analyze",
		);
		expect(() => detectAggregationScenario({ analyze: {} }, "analyze", "p_")).toThrow(
			"No batch workers found",
		);
	});

	it("aggregateBatchWorkerResults and noBatchesAggregationResult: the reference's shapes", () => {
		class Aggregator extends StepHandler {
			static handlerName = "aggregator";
			constructor() {
				super();
				applyBatchable(this);
			}
			async call(context: StepContext): Promise<StepHandlerResult> {
				const batch = this as unknown as ReturnType<typeof applyBatchable<Aggregator>>;
				const scenario = batch.detectAggregationScenario(
					context.dependencyResults,
					"analyze",
					"process_batch_",
				);
				return batch.aggregateBatchWorkerResults(
					scenario,
					{ total: 0 },
					(results) => aggregateBatchResults(Object.values(results)) as unknown as Record<string, unknown>,
				);
			}
		}
		const run = (deps: Record<string, unknown>) =>
			new Aggregator().call(new StepContext(stepInput({ dependency_results: deps }))).then((r) => r.result);
		return Promise.all([
			run(withBatches),
			run({ analyze: { batch_processing_outcome: { type: "no_batches" } } }),
		]).then(([batched, none]) => {
			expect(batched).toEqual({
				total_processed: 10,
				total_succeeded: 9,
				total_failed: 1,
				total_skipped: 0,
				batch_count: 2,
				success_rate: 0.9,
				errors: [{ row: 2 }],
				error_count: 1,
				worker_count: 2,
				scenario: "with_batches",
			});
			expect(none).toEqual({ worker_count: 0, scenario: "no_batches", total: 0 });
		});
	});

	it("aggregateBatchResults caps the errors it keeps but counts them all", () => {
		const summary = aggregateBatchResults([{ errors: [{ a: 1 }, { a: 2 }, { a: 3 }] }, null], 2);
		expect(summary).toMatchObject({
			errors: [{ a: 1 }, { a: 2 }],
			error_count: 3,
			batch_count: 1,
			success_rate: 0,
		});
	});
});
