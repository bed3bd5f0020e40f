// Handler workers per namespace, end to end: `wrangler dev -c wrangler.toml -c
// examples/billing-worker/wrangler.toml` (started by the global setup). A billing task's steps go to
// the billing queue and run in the billing Worker only; a default-namespace task still runs here.
import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { SEED_ORDER_TOTAL, seedOrderRequest } from "../../scripts/lib/seed-order";

const url = inject("taskerUrl");

type Json = Record<string, unknown>;

async function call(method: string, path: string, body?: unknown) {
	const response = await fetch(`${url}${path}`, {
		method,
		headers: body === undefined ? undefined : { "content-type": "application/json" },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as Json };
}

async function finished(taskUuid: string): Promise<Json> {
	const deadline = Date.now() + 20_000;
	while (Date.now() < deadline) {
		const { body } = await call("GET", `/v1/tasks/${taskUuid}?wait_seconds=5`);
		if (["complete", "error", "cancelled"].includes(String(body.status))) return body;
	}
	throw new Error(`task ${taskUuid} did not finish`);
}

interface StepRow {
	step_uuid: string;
	name: string;
	current_state: string;
	results: { result: Json } | null;
}

const invoiceRequest = () => ({
	name: "invoice_order",
	namespace: "billing",
	context: {
		order_id: `INV-E2E-${randomUUID()}`,
		lines: [
			{ sku: "WIDGET-A", price: 29.99, quantity: 2 },
			{ sku: "GADGET-B", price: 49.99, quantity: 1 },
		],
		country: "DE",
		discount_percent: 10,
	},
	initiator: "e2e",
	source_system: "e2e",
	reason: "handler workers per namespace",
});

describe("handler workers per namespace on wrangler dev (two configs)", () => {
	it("the orchestrator is ready without billing's handlers: that namespace is routed to its own queue", async () => {
		const { status, body } = await call("GET", "/health/ready");
		expect(status).toBe(200);
		expect(body).toMatchObject({
			status: "ready",
			checks: { namespace_queues: { status: "healthy", routes: { billing: "STEP_QUEUE_BILLING" } } },
		});
	});

	it("a billing task completes with results only the billing Worker computes, handed over within it", async () => {
		const created = await call("POST", "/v1/tasks", invoiceRequest());
		expect(created.status).toBe(201);
		const taskUuid = String(created.body.task_uuid);
		expect(await finished(taskUuid)).toMatchObject({ status: "complete", completed_steps: 4 });

		const steps = (await call("GET", `/v1/tasks/${taskUuid}/workflow_steps`)).body as unknown as StepRow[];
		const result = (name: string) => steps.find((s) => s.name === name)?.results?.result;
		// 109.97 less 10 % (11.00) plus 19 % tax on 109.97 (20.89).
		expect(result("price_lines")).toEqual({ subtotal: 109.97, lines: 2, priced_by: "tasker-billing" });
		expect(result("apply_tax")).toEqual({ rate: 0.19, tax: 20.89 });
		expect(result("apply_discount")).toEqual({ discount: 11 });
		expect(result("issue_invoice")).toEqual({
			invoice_number: expect.stringMatching(/^INV-[0-9A-F-]{12}$/),
			total: 119.86,
			issued_by: "tasker-billing",
		});

		// Only the root came through the queue; the billing Worker, which reported it, was handed the
		// rest (its report named its handlers), so no billing step ever reached the orchestrator's consumer.
		const firstMove = async (step: StepRow) => {
			const audit = (await call("GET", `/v1/tasks/${taskUuid}/workflow_steps/${step.step_uuid}/audit`))
				.body as unknown as Array<{ to_state: string; metadata: Json | null }>;
			const start = audit.find((t) => t.to_state === "in_progress" || t.to_state === "enqueued");
			return [step.name, start?.to_state, start?.metadata?.handed_over ?? false];
		};
		expect(await Promise.all(steps.map(firstMove))).toEqual([
			["price_lines", "enqueued", false],
			["apply_tax", "in_progress", true],
			["apply_discount", "in_progress", true],
			["issue_invoice", "in_progress", true],
		]);
	});

	it("a default-namespace task still completes in the orchestrator's own consumer, alongside", async () => {
		const order = seedOrderRequest({ source_system: "e2e-handler-workers" });
		const [billing, seed] = await Promise.all([
			call("POST", "/v1/tasks", invoiceRequest()),
			call("POST", "/v1/tasks", order),
		]);
		expect([billing.status, seed.status]).toEqual([201, 201]);
		const [billingTask, seedTask] = await Promise.all([
			finished(String(billing.body.task_uuid)),
			finished(String(seed.body.task_uuid)),
		]);
		expect(billingTask).toMatchObject({ namespace: "billing", status: "complete" });
		expect(seedTask).toMatchObject({ namespace: "default", status: "complete" });
		const steps = (await call("GET", `/v1/tasks/${String(seed.body.task_uuid)}/workflow_steps`))
			.body as unknown as StepRow[];
		expect(steps.find((s) => s.name === "charge_payment")?.results?.result).toMatchObject({
			amount: SEED_ORDER_TOTAL,
		});
	});
});
