// Decision points, deferred convergence, batches and checkpoints in the pure engine, with the example
// templates and handlers themselves (templates/examples, src/handlers/examples) where they fit.
import { describe, expect, it } from "vitest";
import type { StepOutcome, StepRunInput } from "../../src/core/step-outcome";
import { handlerModules, templates } from "../../src/generated/registry";
import { runStepHandler } from "../../src/handler-api/run-step-handler";
import { MAX_DECISION_DEPTH, MAX_STEPS_PER_DECISION } from "../../src/limits";
import { buildHandlerRegistry } from "../../src/registry/handler-registry";
import type { TaskTemplate } from "../../src/templates/task-template";
import { validateTemplate } from "../../src/templates/validate-template";
import { EngineDriver, failure, names, success } from "../support/engine-driver";
import { runToEnd } from "../support/run-to-end";

const handlers = buildHandlerRegistry(handlerModules);
const example = (name: string): TaskTemplate => {
	const found = templates.find((t) => t.name === name);
	if (!found) throw new Error(`no example template ${name}`);
	return found;
};
/** Runs a step with the example handler its template names. */
const realHandler = (input: StepRunInput): Promise<StepOutcome> => {
	const handler = handlers.get(input.callable);
	if (!handler) throw new Error(`no handler ${input.callable}`);
	return runStepHandler(handler, input, () => 0);
};

/** A template from YAML-shaped steps (validated: the engine only ever sees valid templates). */
function template(steps: unknown[]): TaskTemplate {
	const checked = validateTemplate({ name: "dyn", namespace_name: "testing", version: "1.0.0", steps });
	if (!checked.ok) throw new Error(checked.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
	return checked.template;
}
const problemsOf = (steps: unknown[]): string[] => {
	const checked = validateTemplate({ name: "dyn", namespace_name: "testing", version: "1.0.0", steps });
	return checked.ok ? [] : checked.problems.map((p) => `${p.path}: ${p.message}`);
};
const step = (name: string, extra: Record<string, unknown> = {}) => ({
	name,
	handler: { callable: `H_${name}` },
	...extra,
});
const decide = (stepNames: string[] | null) =>
	success({
		decision_point_outcome:
			stepNames === null ? { type: "no_branches" } : { type: "create_steps", step_names: stepNames },
	});

describe("conditional approval (the example template and handlers)", () => {
	const cases: Array<[number, string[]]> = [
		[500, ["auto_approve"]],
		[999.99, ["auto_approve"]],
		[1000, ["manager_approval"]],
		[2500, ["manager_approval"]],
		[4999, ["manager_approval"]],
		[5000, ["finance_review", "manager_approval"]],
		[10000, ["finance_review", "manager_approval"]],
	];
	for (const [amount, chosen] of cases) {
		it(`amount ${amount} creates ${chosen.join(" + ")} only, and finalize_approval converges over them`, async () => {
			const d = new EngineDriver();
			d.create(example("approval_routing"), { amount, requester: "alice", purpose: "laptops" });
			// Only the initial segment exists when the task starts.
			expect(d.store.listSteps().map((s) => s.name)).toEqual(["validate_request", "routing_decision"]);
			const ran = await runToEnd(d, realHandler);
			expect(d.task.status).toBe("complete");
			const created = d.store
				.listSteps()
				.map((s) => s.name)
				.sort();
			expect(created).toEqual(
				["finalize_approval", "routing_decision", "validate_request", ...chosen].sort(),
			);
			expect([...ran].sort()).toEqual(created);
			expect(d.task.totalSteps).toBe(created.length);
			const finalize = d.step("finalize_approval");
			expect([...finalize.dependencies].sort()).toEqual(chosen);
			expect(finalize.result?.result).toMatchObject({
				approved: true,
				approval_chain: expect.arrayContaining(chosen),
			});
			expect(
				(finalize.result?.result as { approval_chain: string[] } | undefined)?.approval_chain,
			).toHaveLength(chosen.length);
			// The audit says who created each dynamic step.
			for (const name of chosen) {
				const [created] = d.store.listTransitions(d.step(name).stepUuid);
				expect(created).toMatchObject({
					fromState: null,
					toState: "pending",
					metadata: { created_by: "routing_decision" },
				});
				expect(d.step(name).createdBy).toBe("routing_decision");
			}
		});
	}
});

describe("decision points", () => {
	const shape = [
		step("start"),
		step("decide", { type: "decision", dependencies: ["start"] }),
		step("a", { dependencies: ["decide"] }),
		step("a2", { dependencies: ["a"] }),
		step("b", { dependencies: ["decide"] }),
		step("end", { type: "deferred_convergence", dependencies: ["a2", "b"] }),
	];
	const run = (choice: StepOutcome) => async (input: StepRunInput) =>
		input.step_name === "decide" ? choice : success({ ok: input.step_name });

	it("creates the chosen step and what follows it in its segment; the others never exist", async () => {
		const d = new EngineDriver();
		d.create(template(shape));
		const ran = await runToEnd(d, run(decide(["a"])));
		expect(ran).toEqual(["start", "decide", "a", "a2", "end"]);
		expect(d.store.listSteps().map((s) => s.name)).not.toContain("b");
		expect(d.step("end").dependencies).toEqual(["a2"]);
		expect(d.task.status).toBe("complete");
	});

	it("no_branches creates nothing, and the convergence step never exists", async () => {
		const d = new EngineDriver();
		d.create(template(shape));
		const ran = await runToEnd(d, run(decide(null)));
		expect(ran).toEqual(["start", "decide"]);
		expect(d.task).toMatchObject({ status: "complete", totalSteps: 2 });
	});

	it("a name outside the decision's segment fails the decision for good, naming it, and creates nothing", async () => {
		const d = new EngineDriver();
		d.create(template(shape));
		await runToEnd(d, run(decide(["a", "start"])));
		const decision = d.step("decide");
		expect(decision.state).toBe("error");
		expect(decision.lastError).toMatchObject({ error_code: "invalid_descendant", retryable: false });
		expect(decision.lastError?.message).toContain(
			'step "start" is not a valid descendant of decision point "decide"',
		);
		expect(d.store.listSteps()).toHaveLength(2);
		expect(d.task.status).toBe("error");
	});

	it("a result without a decision_point_outcome, or a convergence step named, fails the decision", async () => {
		for (const bad of [success({ route: "a" }), decide([]), decide(["end"])]) {
			const d = new EngineDriver();
			d.create(template(shape));
			await runToEnd(d, run(bad));
			expect(d.step("decide").state).toBe("error");
			expect(d.store.listSteps()).toHaveLength(2);
		}
	});

	it("a duplicate or late copy of the decision's result creates nothing twice", async () => {
		const d = new EngineDriver();
		d.create(template(shape));
		const [start] = d.alarm();
		if (!start) throw new Error("no root");
		const [decision] = d.complete(start);
		if (!decision) throw new Error("no decision");
		d.claim(decision);
		expect(d.report(decision, decide(["a", "b"])).kind).toBe("applied");
		const steps = d.store.listSteps().length;
		const transitions = d.store.transitions.length;
		expect(d.report(decision, decide(["a", "b"]))).toMatchObject({
			kind: "dropped",
			reason: "step_not_in_flight",
		});
		expect(d.report({ ...decision, attempt: decision.attempt + 1 }, decide(["b"]))).toMatchObject({
			kind: "dropped",
		});
		expect(d.store.listSteps()).toHaveLength(steps);
		expect(d.store.transitions).toHaveLength(transitions);
		expect(d.task.stats.resultsDropped).toBe(2);
	});

	it("a retried decision creates its steps once, from the attempt that succeeds", async () => {
		const d = new EngineDriver();
		d.create(template(shape));
		let decisions = 0;
		await runToEnd(d, async (input) => {
			if (input.step_name !== "decide") return success({});
			decisions += 1;
			return decisions === 1 ? failure(true) : decide(["b"]);
		});
		expect(decisions).toBe(2);
		expect(d.store.listSteps().map((s) => s.name)).toEqual(["start", "decide", "b", "end"]);
		expect(d.task.status).toBe("complete");
	});

	it("nested decisions: the outer convergence waits for the inner decision, then sees exactly the created parents", async () => {
		const d = new EngineDriver();
		d.create(
			template([
				step("outer", { type: "decision" }),
				step("a", { dependencies: ["outer"] }),
				step("inner", { type: "decision", dependencies: ["outer"] }),
				step("b", { dependencies: ["inner"] }),
				step("c", { dependencies: ["inner"] }),
				step("end", { type: "deferred_convergence", dependencies: ["a", "b", "c"] }),
			]),
		);
		const ran = await runToEnd(d, async (input) => {
			if (input.step_name === "outer") return decide(["a", "inner"]);
			if (input.step_name === "inner") return decide(["c"]);
			if (input.step_name === "end") return success({ saw: Object.keys(input.dependency_results).sort() });
			return success({});
		});
		expect(ran.indexOf("end")).toBe(ran.length - 1);
		expect(ran).toContain("c");
		expect(ran).not.toContain("b");
		expect([...d.step("end").dependencies].sort()).toEqual(["a", "c"]);
		expect(d.step("end").result?.result).toEqual({ saw: ["a", "c", "inner", "outer"] });
	});

	it(`a decision creating more than ${MAX_STEPS_PER_DECISION} steps fails (MAX_STEPS_PER_DECISION)`, async () => {
		const many = Array.from({ length: MAX_STEPS_PER_DECISION + 1 }, (_, i) =>
			step(`s${i}`, { dependencies: ["decide"] }),
		);
		const d = new EngineDriver();
		d.create(template([step("decide", { type: "decision" }), ...many]));
		await runToEnd(d, async () => decide(many.map((s) => s.name)));
		expect(d.step("decide").lastError).toMatchObject({ error_code: "too_many_steps" });
		expect(d.store.listSteps()).toHaveLength(1);
	});

	it(`decisions nested deeper than ${MAX_DECISION_DEPTH} are refused by template validation`, () => {
		const chain = Array.from({ length: MAX_DECISION_DEPTH + 1 }, (_, i) =>
			step(`d${i}`, { type: "decision", ...(i > 0 ? { dependencies: [`d${i - 1}`] } : {}) }),
		);
		expect(problemsOf(chain).join("\n")).toContain(`decisions nest ${MAX_DECISION_DEPTH + 1} deep`);
		expect(problemsOf(chain.slice(0, MAX_DECISION_DEPTH))).toEqual([]);
	});
});

describe("template rules of dynamic steps", () => {
	it("names the step and key of each broken rule", () => {
		expect(problemsOf([step("a", { type: "sideways" })]).join()).toContain(
			"steps[0].type: expected one of: standard, decision",
		);
		expect(problemsOf([step("a", { type: "decision", step_type: "decision" })]).join()).toContain(
			'both "type" and its alias "step_type"',
		);
		expect(problemsOf([step("a", { batch_config: { worker_template: "a" } })]).join()).toContain(
			"steps[0].batch_config: batch_config applies to batchable and batch_worker steps only",
		);
		expect(
			problemsOf([
				step("an", { type: "batchable" }),
				step("w", { type: "batch_worker", dependencies: ["an"] }),
			]).join(),
		).toContain('batch_worker step "w" needs a batch_config');
		expect(
			problemsOf([
				step("an", { type: "batchable" }),
				step("w", {
					type: "batch_worker",
					dependencies: ["an"],
					batch_config: { worker_template: "w", batch_size: 0 },
				}),
			]).join(),
		).toContain("steps[1].batch_config.batch_size: expected an integer from 1 to 100000");
		expect(
			problemsOf([
				step("d1", { type: "decision" }),
				step("d2", { type: "decision" }),
				step("x", { dependencies: ["d1", "d2"] }),
			]).join(),
		).toContain('step "x" follows both decision "d1" and decision "d2"');
		expect(
			problemsOf([
				step("an", { type: "batchable" }),
				step("w", { type: "batch_worker", dependencies: ["an"], batch_config: { worker_template: "w" } }),
				step("after", { dependencies: ["w"] }),
			]).join(),
		).toContain('depends on batch_worker "w": only a deferred_convergence step may');
	});

	it("the reference's batch_config defaults apply", () => {
		const t = template([
			step("an", { type: "batchable" }),
			step("w", { step_type: "batch_worker", dependencies: ["an"], batch_config: { worker_template: "w" } }),
		]);
		expect(t.steps[1]).toMatchObject({
			type: "batch_worker",
			batchConfig: {
				batchSize: 1000,
				parallelism: 10,
				cursorField: "id",
				workerTemplate: "w",
				failureStrategy: "continue_on_failure",
			},
		});
	});

	it("a static template keeps the static path: no plan, no dynamic fields, no extra writes", () => {
		const d = new EngineDriver();
		d.create(template([step("a"), step("b", { dependencies: ["a"] })]));
		expect(d.store.writes.dynamic).toBe(0);
		expect(d.store.listSteps().every((s) => s.stepType === undefined && s.stepInputs === undefined)).toBe(
			true,
		);
	});
});

describe("batch processing (the example template and handlers)", () => {
	it("1,000 rows in batches of 200: 5 workers with their cursors, and the aggregate equals the sum", async () => {
		const d = new EngineDriver();
		d.create(example("csv_product_inventory_analyzer"), { csv_file_path: "/test/fixtures/products.csv" });
		expect(d.store.listSteps().map((s) => s.name)).toEqual(["analyze_csv"]);
		await runToEnd(d, realHandler);
		expect(d.task.status).toBe("complete");
		const workers = d.store.listSteps().filter((s) => s.name.startsWith("process_csv_batch_"));
		expect(workers.map((w) => w.name)).toEqual(
			["001", "002", "003", "004", "005"].map((id) => `process_csv_batch_${id}`),
		);
		expect(workers[1]?.stepInputs).toEqual({
			cursor: { batch_id: "002", start_cursor: 200, end_cursor: 400, batch_size: 200 },
			batch_metadata: { cursor_field: "row_number", failure_strategy: "continue_on_failure" },
			is_no_op: false,
		});
		expect(workers.every((w) => w.createdBy === "analyze_csv")).toBe(true);
		let quantity = 0;
		let value = 0;
		for (let n = 0; n < 1000; n++) {
			const q = (n * 37) % 101;
			quantity += q;
			value += q * (100 + ((n * 13) % 900));
		}
		expect(d.step("aggregate_csv_results").result?.result).toEqual({
			scenario: "with_batches",
			worker_count: 5,
			total_processed: 1000,
			total_quantity: quantity,
			total_inventory_value_cents: value,
		});
		expect(d.task.totalSteps).toBe(7);
	});

	it("no_batches creates one no-op worker, and the aggregator still runs", async () => {
		const d = new EngineDriver();
		d.create(example("csv_product_inventory_analyzer"), { csv_file_path: "/test/fixtures/empty.csv" });
		await runToEnd(d, realHandler);
		expect(d.task.status).toBe("complete");
		expect(
			d.store
				.listSteps()
				.map((s) => s.name)
				.sort(),
		).toEqual(["aggregate_csv_results", "analyze_csv", "process_csv_batch_000"]);
		expect(d.step("process_csv_batch_000").stepInputs).toMatchObject({
			is_no_op: true,
			cursor: { batch_id: "000" },
		});
		expect(d.step("aggregate_csv_results").result?.result).toMatchObject({
			scenario: "no_batches",
			total_processed: 0,
		});
	});

	it("a 1,000-worker batch is created and dispatched by one result, and converges once", async () => {
		const d = new EngineDriver();
		d.create(example("csv_product_inventory_analyzer"), { row_count: 1000 });
		const [analyzer] = d.alarm();
		if (!analyzer) throw new Error("no analyzer");
		d.claim(analyzer);
		const input = d.claim(analyzer);
		if (input.kind !== "run") throw new Error("claim dropped");
		const outcome = d.report(
			analyzer,
			await realHandler({ ...input.input, initialization: { batch_size: 1 } }),
		);
		const workers = outcome.kind === "applied" ? outcome.effects.dispatches : [];
		expect(workers).toHaveLength(1000);
		const ran = await runToEnd(d, realHandler, 20_000, workers);
		expect(ran.filter((n) => n === "aggregate_csv_results")).toHaveLength(1);
		expect(ran.at(-1)).toBe("aggregate_csv_results");
		expect(d.step("aggregate_csv_results").result?.result).toMatchObject({
			worker_count: 1000,
			total_processed: 1000,
		});
		expect(d.task).toMatchObject({ status: "complete", totalSteps: 1002 });
	}, 60_000);
});

describe("batch failure strategies", () => {
	const batchTemplate = (strategy: string) =>
		template([
			step("an", { type: "batchable" }),
			step("w", {
				type: "batch_worker",
				dependencies: ["an"],
				batch_config: { worker_template: "w", failure_strategy: strategy },
				retry: { max_attempts: 1 },
			}),
			step("agg", { type: "deferred_convergence", dependencies: ["w"] }),
		]);
	const threeBatches = success({
		batch_processing_outcome: {
			type: "create_batches",
			worker_template_name: "w",
			worker_count: 3,
			cursor_configs: ["1", "2", "3"].map((id) => ({
				batch_id: id,
				start_cursor: 0,
				end_cursor: 1,
				batch_size: 10,
			})),
			total_items: 30,
		},
	});

	it("continue_on_failure completes the failed worker with its failure, and the aggregator sees it", async () => {
		const d = new EngineDriver();
		d.create(batchTemplate("continue_on_failure"));
		await runToEnd(d, async (input) => {
			if (input.step_name === "an") return threeBatches;
			if (input.step_name === "w_2") return failure(false);
			return success({ saw: Object.keys(input.dependency_results).sort() });
		});
		expect(d.task.status).toBe("complete");
		expect(d.step("w_2")).toMatchObject({
			state: "complete",
			result: { result: { batch_failed: true, items_failed: 10 } },
		});
		expect(d.step("agg").result?.result).toEqual({ saw: ["an", "w_1", "w_2", "w_3"] });
	});

	it("fail_fast fails the worker and cancels the siblings that have not started", async () => {
		const d = new EngineDriver();
		d.create(batchTemplate("fail_fast"));
		const ran = await runToEnd(d, async (input) => {
			if (input.step_name === "an") return threeBatches;
			return input.step_name === "w_1" ? failure(false) : success({});
		});
		expect(ran).toEqual(["an", "w_1"]);
		expect(d.step("w_1").state).toBe("error");
		expect([d.step("w_2").state, d.step("w_3").state]).toEqual(["cancelled", "cancelled"]);
		expect(d.task.status).toBe("error");
	});

	it("isolate fails the worker alone: its siblings complete, the aggregator waits for an operator", async () => {
		const d = new EngineDriver();
		d.create(batchTemplate("isolate"));
		const ran = await runToEnd(d, async (input) => {
			if (input.step_name === "an") return threeBatches;
			return input.step_name === "w_1" ? failure(false) : success({});
		});
		expect(ran).toEqual(["an", "w_1", "w_2", "w_3"]);
		expect([d.step("w_1").state, d.step("w_2").state, d.step("w_3").state]).toEqual([
			"error",
			"complete",
			"complete",
		]);
		expect(d.step("agg").state).toBe("pending");
		expect(d.task.status).toBe("error");
	});

	it("a malformed batch outcome fails the analyzer and creates nothing", async () => {
		for (const bad of [
			success({}),
			success({
				batch_processing_outcome: {
					type: "create_batches",
					worker_template_name: "nope",
					worker_count: 1,
					cursor_configs: [{ batch_id: "1" }],
					total_items: 1,
				},
			}),
			success({
				batch_processing_outcome: {
					type: "create_batches",
					worker_template_name: "w",
					worker_count: 2,
					cursor_configs: [{ batch_id: "1" }],
					total_items: 1,
				},
			}),
			success({
				batch_processing_outcome: {
					type: "create_batches",
					worker_template_name: "w",
					worker_count: 1,
					cursor_configs: [{ batch_id: "a b" }],
					total_items: 1,
				},
			}),
		]) {
			const d = new EngineDriver();
			d.create(batchTemplate("continue_on_failure"));
			await runToEnd(d, async () => bad);
			expect(d.step("an")).toMatchObject({
				state: "error",
				lastError: { name: "BatchProcessingError", retryable: false },
			});
			expect(d.store.listSteps()).toHaveLength(1);
		}
	});
});

describe("checkpoint yield (the example template and handlers)", () => {
	it("yields every 25 items, resumes from each checkpoint, and processes every item once", async () => {
		const d = new EngineDriver();
		d.create(example("checkpoint_yield_test"), { total_items: 100, items_per_checkpoint: 25 });
		const ran = await runToEnd(d, realHandler);
		expect(ran.filter((n) => n === "checkpoint_yield_batch_001")).toHaveLength(4);
		const worker = d.step("checkpoint_yield_batch_001");
		expect(worker).toMatchObject({
			state: "complete",
			checkpoint: { cursor: 75, items_processed: 75, yields: 3 },
		});
		expect(d.step("aggregate_results").result?.result).toMatchObject({
			total_processed: 100,
			item_count: 100,
			unique_items: 100,
			checkpoints_used: 4,
			running_total: 5050,
			test_passed: true,
		});
	});

	it("a failure midway is retried from the last checkpoint, not from the start (attempts exclude yields)", async () => {
		const d = new EngineDriver();
		d.create(example("checkpoint_yield_test"), {
			total_items: 100,
			items_per_checkpoint: 20,
			fail_after_items: 50,
			fail_on_attempt: 1,
		});
		const starts: Array<{ cursor: unknown; attempt: number }> = [];
		await runToEnd(d, async (input) => {
			if (input.step_name.startsWith("checkpoint_yield_batch_")) {
				starts.push({
					cursor: input.checkpoint?.cursor ?? 0,
					attempt: input.attempt - (input.checkpoint_yields ?? 0),
				});
			}
			return realHandler(input);
		});
		// Runs from 0, 20, 40 (fails at 50 on attempt 1), then 40 again on attempt 2, 60, 80.
		expect(starts).toEqual([
			{ cursor: 0, attempt: 1 },
			{ cursor: 20, attempt: 1 },
			{ cursor: 40, attempt: 1 },
			{ cursor: 40, attempt: 2 },
			{ cursor: 60, attempt: 2 },
			{ cursor: 80, attempt: 2 },
		]);
		expect(d.step("aggregate_results").result?.result).toMatchObject({
			total_processed: 100,
			unique_items: 100,
			test_passed: true,
		});
	});

	it("a checkpoint is fenced by attempt: a duplicate of an older one is dropped", () => {
		const d = new EngineDriver();
		d.create(
			template([
				step("an", { type: "batchable" }),
				step("w", { type: "batch_worker", dependencies: ["an"], batch_config: { worker_template: "w" } }),
				step("agg", { type: "deferred_convergence", dependencies: ["w"] }),
			]),
		);
		const [an] = d.alarm();
		if (!an) throw new Error("no analyzer");
		d.claim(an);
		const created = d.report(
			an,
			success({
				batch_processing_outcome: {
					type: "create_batches",
					worker_template_name: "w",
					worker_count: 1,
					cursor_configs: [{ batch_id: "1", start_cursor: 0, end_cursor: 10, batch_size: 10 }],
					total_items: 10,
				},
			}),
		);
		const [worker] = created.kind === "applied" ? created.effects.dispatches : [];
		if (!worker) throw new Error("no worker");
		const yieldAt = (cursor: number): StepOutcome => ({
			success: true,
			result: { type: "checkpoint_yield", cursor, items_processed: cursor },
			metadata: { checkpoint_yield: true },
			execution_time_ms: 1,
		});
		d.claim(worker);
		const first = d.report(worker, yieldAt(5));
		const [again] = first.kind === "applied" ? first.effects.dispatches : [];
		expect(again).toMatchObject({ step_name: "w_1", attempt: worker.attempt + 1 });
		expect(d.report(worker, yieldAt(5))).toMatchObject({ kind: "dropped", reason: "stale_attempt" });
		if (!again) throw new Error("not re-dispatched");
		const claim = d.claim(again);
		expect(claim.kind === "run" && claim.input.checkpoint).toEqual({ cursor: 5, items_processed: 5 });
		expect(claim.kind === "run" && claim.input.step_inputs).toMatchObject({ cursor: { batch_id: "1" } });
		expect(names(d.alarm())).toEqual([]);
	});
});
