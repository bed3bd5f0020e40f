// Dynamic workflows end to end on a real `wrangler dev` (the shared server of the e2e setup): the example
// templates and handlers, with the reference's inputs and expected values.
import { describe, expect, inject, it } from "vitest";

const url = inject("taskerUrl");
type Json = Record<string, unknown>;
interface StepView {
	name: string;
	current_state: string;
	attempts: number;
	dependencies: string[];
	results: { result: Json } | null;
}

// wrangler dev keeps its state between runs and a resubmitted task is a 409: every run is its own.
const run = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

async function submit(name: string, namespace: string, context: Json): Promise<string> {
	const response = await fetch(`${url}/v1/tasks`, {
		method: "POST",
		headers: { "content-type": "application/json" },
		body: JSON.stringify({
			name,
			namespace,
			context: { ...context, run },
			initiator: "e2e",
			source_system: "e2e",
			reason: "dynamic",
		}),
	});
	const body = (await response.json()) as Json;
	expect(response.status, JSON.stringify(body)).toBe(201);
	return String(body.task_uuid);
}

async function finished(taskUuid: string): Promise<{ task: Json; steps: StepView[] }> {
	const deadline = Date.now() + 25_000;
	while (Date.now() < deadline) {
		const task = (await (await fetch(`${url}/v1/tasks/${taskUuid}?wait_seconds=5`)).json()) as Json;
		if (["complete", "error", "cancelled"].includes(String(task.status))) {
			const steps = (await (await fetch(`${url}/v1/tasks/${taskUuid}/workflow_steps`)).json()) as StepView[];
			return { task, steps };
		}
	}
	throw new Error(`task ${taskUuid} did not finish`);
}

const byName = (steps: StepView[], name: string): StepView => {
	const found = steps.find((s) => s.name === name);
	if (!found) throw new Error(`no step ${name} among ${steps.map((s) => s.name).join(", ")}`);
	return found;
};

describe("conditional approval on wrangler dev", () => {
	const cases: Array<[number, string[]]> = [
		[500, ["auto_approve"]],
		[1000, ["manager_approval"]],
		[2500, ["manager_approval"]],
		[5000, ["finance_review", "manager_approval"]],
		[10000, ["finance_review", "manager_approval"]],
	];
	it("routes each amount to its approvals only, and finalize_approval converges over what ran", async () => {
		const tasks = await Promise.all(
			cases.map(([amount]) =>
				submit("approval_routing", "conditional_approval", { amount, requester: "e2e", purpose: "laptops" }),
			),
		);
		const results = await Promise.all(tasks.map(finished));
		results.forEach(({ task, steps }, i) => {
			const [amount, chosen] = cases[i] as [number, string[]];
			const created = ["validate_request", "routing_decision", ...chosen, "finalize_approval"];
			expect(task, `amount ${amount}`).toMatchObject({
				status: "complete",
				total_steps: created.length,
				completed_steps: created.length,
			});
			expect(steps.map((s) => s.name).sort()).toEqual([...created].sort());
			expect(steps.every((s) => s.current_state === "complete")).toBe(true);
			const finalize = byName(steps, "finalize_approval");
			expect([...finalize.dependencies].sort()).toEqual(chosen);
			expect(finalize.results?.result).toMatchObject({ approved: true, final_amount: amount });
			expect([...((finalize.results?.result.approval_chain as string[] | undefined) ?? [])].sort()).toEqual(
				chosen,
			);
		});
	});
});

describe("batch processing on wrangler dev", () => {
	it("1,000 rows in batches of 200: 5 workers, and the aggregate equals the sum", async () => {
		const { task, steps } = await finished(
			await submit("csv_product_inventory_analyzer", "csv_processing", {
				csv_file_path: "/test/fixtures/products.csv",
			}),
		);
		expect(task).toMatchObject({ status: "complete", total_steps: 7 });
		const workers = steps.filter((s) => s.name.startsWith("process_csv_batch_"));
		expect(workers.map((w) => w.name).sort()).toEqual(
			["001", "002", "003", "004", "005"].map((id) => `process_csv_batch_${id}`),
		);
		let quantity = 0;
		let value = 0;
		for (let n = 0; n < 1000; n++) {
			const q = (n * 37) % 101;
			quantity += q;
			value += q * (100 + ((n * 13) % 900));
		}
		expect(byName(steps, "aggregate_csv_results").results?.result).toEqual({
			scenario: "with_batches",
			worker_count: 5,
			total_processed: 1000,
			total_quantity: quantity,
			total_inventory_value_cents: value,
		});
	});

	it("no_batches: one no-op worker, and the aggregator still runs", async () => {
		const { task, steps } = await finished(
			await submit("csv_product_inventory_analyzer", "csv_processing", {
				csv_file_path: "/test/fixtures/empty.csv",
			}),
		);
		expect(task).toMatchObject({ status: "complete", total_steps: 3 });
		expect(steps.map((s) => s.name).sort()).toEqual([
			"aggregate_csv_results",
			"analyze_csv",
			"process_csv_batch_000",
		]);
		expect(byName(steps, "aggregate_csv_results").results?.result).toMatchObject({
			scenario: "no_batches",
			total_processed: 0,
		});
	});
});

describe("checkpoint yield on wrangler dev", () => {
	it("100 items, a checkpoint every 25: every item processed once, with at least 3 checkpoints", async () => {
		const { task, steps } = await finished(
			await submit("checkpoint_yield_test", "checkpoint_yield", {
				total_items: 100,
				items_per_checkpoint: 25,
			}),
		);
		expect(task.status).toBe("complete");
		expect(steps.every((s) => s.current_state === "complete")).toBe(true);
		const result = byName(steps, "aggregate_results").results?.result ?? {};
		expect(result).toMatchObject({
			total_processed: 100,
			unique_items: 100,
			item_count: 100,
			test_passed: true,
		});
		expect(result.checkpoints_used as number).toBeGreaterThanOrEqual(3);
	});

	it("a worker failing after 50 items resumes from its checkpoint: 2 attempts, every item once", async () => {
		const { task, steps } = await finished(
			await submit("checkpoint_yield_test", "checkpoint_yield", {
				total_items: 100,
				items_per_checkpoint: 20,
				fail_after_items: 50,
				fail_on_attempt: 1,
			}),
		);
		expect(task.status).toBe("complete");
		const worker = steps.find((s) => s.name.startsWith("checkpoint_yield_batch_"));
		expect(worker).toMatchObject({ current_state: "complete", attempts: 2 });
		expect(byName(steps, "aggregate_results").results?.result).toMatchObject({
			total_processed: 100,
			unique_items: 100,
			running_total: 5050,
			test_passed: true,
		});
	});
});
