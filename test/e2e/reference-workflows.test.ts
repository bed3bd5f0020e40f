// Tasker's own workflows, run as a Tasker user runs them: each example template (templates/examples/)
// submitted over HTTP to a real `wrangler dev` with the inputs of the reference's end-to-end tests, awaited,
// and checked for the reference's expected results: step names and count, every step's state, the values
// the steps computed, and how the failing scenarios end.
import { describe, expect, inject, it } from "vitest";
import { TaskerClient } from "../../src/client";
import type { Step, Task } from "../../src/client/client-types";

const client = new TaskerClient({ baseUrl: inject("taskerUrl") });

interface Run {
	task: Task;
	steps: Step[];
	/** Each step's result (the handler's data), by step name. */
	results: Record<string, Record<string, unknown>>;
	/** From submission to the finished task. */
	elapsedMs: number;
}

/**
 * Submits a task and waits for it to finish. Like the reference's test helper, a fresh `_test_run_id` in
 * the context makes every submission a new task (the same context twice is one task: a 409).
 */
async function run(namespace: string, name: string, context: Record<string, unknown>): Promise<Run> {
	const started = Date.now();
	const created = await client.createTask(name, {
		namespace,
		version: "1.0.0",
		context: { ...context, _test_run_id: crypto.randomUUID() },
		initiator: "integration-test",
		sourceSystem: "test",
		reason: "Integration test execution",
	});
	const task = await client.waitForTask(created.taskUuid, { timeoutMs: 15_000 });
	const elapsedMs = Date.now() - started;
	const steps = await client.listTaskSteps(created.taskUuid);
	const results = Object.fromEntries(
		steps.map((step) => [step.name, (step.results?.result ?? {}) as Record<string, unknown>]),
	);
	return { task, steps, results, elapsedMs };
}

/** The task is complete, with exactly these steps, every one complete on its first attempt. */
function expectComplete(outcome: Run, stepNames: readonly string[]): void {
	expect(outcome.task.status).toBe("complete");
	expect(outcome.steps.map((step) => step.name).sort()).toEqual([...stepNames].sort());
	for (const step of outcome.steps) {
		expect({ step: step.name, state: step.currentState, attempts: step.attempts }).toEqual({
			step: step.name,
			state: "complete",
			attempts: 1,
		});
	}
}

const LINEAR_STEPS = ["linear_step_1", "linear_step_2", "linear_step_3", "linear_step_4"];
const DIAMOND_STEPS = ["diamond_start_ts", "diamond_branch_b_ts", "diamond_branch_c_ts", "diamond_end_ts"];

describe("linear workflow (linear_workflow_example/mathematical_sequence_ts)", () => {
	it.each([
		[6, 36, 46, 138, 69],
		[10, 100, 110, 330, 165],
		[8, 64, 74, 222, 111],
	])(
		"even_number %i: square %i, add %i, multiply %i, divide %i",
		async (n, squared, added, multiplied, final) => {
			const outcome = await run("linear_workflow_example", "mathematical_sequence_ts", { even_number: n });
			expectComplete(outcome, LINEAR_STEPS);
			expect(outcome.results.linear_step_1?.squared_value).toBe(squared);
			expect(outcome.results.linear_step_2?.added_value).toBe(added);
			expect(outcome.results.linear_step_3?.multiplied_value).toBe(multiplied);
			expect(outcome.results.linear_step_4?.final_value).toBe(final);
			// The chain ran in order: each step completed after the one it depends on.
			const completedAt = LINEAR_STEPS.map(
				(name) => outcome.steps.find((s) => s.name === name)?.completedAt ?? "",
			);
			expect(completedAt).toEqual([...completedAt].sort());
		},
	);
});

describe("diamond workflow (diamond_workflow_example/parallel_computation_ts)", () => {
	it.each([
		[6, 36, 61, 72, 66.5],
		[10, 100, 125, 200, 162.5],
		[4, 16, 41, 32, 36.5],
	])("even_number %i: start %i, branches %i and %i, end %d", async (n, start, b, c, end) => {
		const outcome = await run("diamond_workflow_example", "parallel_computation_ts", { even_number: n });
		expectComplete(outcome, DIAMOND_STEPS);
		expect(outcome.results.diamond_start_ts?.squared_value).toBe(start);
		expect(outcome.results.diamond_branch_b_ts?.branch_b_value).toBe(b);
		expect(outcome.results.diamond_branch_c_ts?.branch_c_value).toBe(c);
		expect(outcome.results.diamond_end_ts?.final_value).toBe(end);
		// Both branches depend on the start only; the end waits for both.
		const byName = new Map(outcome.steps.map((step) => [step.name, step]));
		expect(byName.get("diamond_branch_b_ts")?.dependencies).toEqual(["diamond_start_ts"]);
		expect(byName.get("diamond_branch_c_ts")?.dependencies).toEqual(["diamond_start_ts"]);
		expect(byName.get("diamond_end_ts")?.dependencies).toEqual([
			"diamond_branch_b_ts",
			"diamond_branch_c_ts",
		]);
	});
});

describe("e-commerce order (ecommerce_example/ecommerce_order_processing_ts, blog post 01)", () => {
	it("prices the cart at 124.76, charges it, reserves the stock, records the order and confirms it", async () => {
		const outcome = await run("ecommerce_example", "ecommerce_order_processing_ts", {
			cart_items: [
				{ product_id: 1, quantity: 2 },
				{ product_id: 2, quantity: 1 },
			],
			customer_info: { email: "customer@example.com", name: "John Doe", phone: "+1-555-0123" },
			payment_info: { method: "credit_card", token: "tok_test_valid", amount: 124.76 },
		});
		expectComplete(outcome, [
			"validate_cart",
			"process_payment",
			"update_inventory",
			"create_order",
			"send_confirmation",
		]);
		// (29.99 × 2) + 49.99 = 109.97, + 8 % tax 8.80, + shipping 5.99 = 124.76.
		expect(outcome.results.validate_cart).toMatchObject({
			subtotal: 109.97,
			tax: 8.8,
			shipping: 5.99,
			total: 124.76,
			item_count: 3,
		});
		expect(outcome.results.process_payment).toMatchObject({ status: "succeeded", amount_charged: 124.76 });
		expect(outcome.results.update_inventory).toMatchObject({ total_items_reserved: 3 });
		expect(outcome.results.create_order).toMatchObject({ status: "confirmed", total_amount: 124.76 });
		expect(outcome.results.send_confirmation).toMatchObject({
			status: "sent",
			recipient: "customer@example.com",
		});
	});
});

describe("data pipeline analytics (data_pipeline_example/analytics_pipeline_ts, blog post 02)", () => {
	it("extracts in parallel, transforms, converges on aggregate_metrics and generates insights", async () => {
		const outcome = await run("data_pipeline_example", "analytics_pipeline_ts", {
			pipeline_id: `pipeline_${crypto.randomUUID()}`,
			date_range: { start_date: "2025-11-01", end_date: "2025-11-30" },
		});
		expectComplete(outcome, [
			"extract_sales_data",
			"extract_inventory_data",
			"extract_customer_data",
			"transform_sales",
			"transform_inventory",
			"transform_customers",
			"aggregate_metrics",
			"generate_insights",
		]);
		const aggregate = outcome.steps.find((step) => step.name === "aggregate_metrics");
		expect(aggregate?.dependencies).toEqual([
			"transform_sales",
			"transform_inventory",
			"transform_customers",
		]);
		// November's five sales (October's is outside the date range), four customers, 465 units in stock.
		expect(outcome.results.aggregate_metrics).toMatchObject({
			total_revenue: 1225,
			sales_transactions: 5,
			total_customers: 4,
			total_inventory_quantity: 465,
			inventory_reorder_alerts: 1,
			revenue_per_customer: 306.25,
			sources_included: 3,
		});
		expect(outcome.results.generate_insights).toMatchObject({
			health_score: { score: 70, max_score: 100, rating: "good" },
			pipeline_complete: true,
		});
	});
});

describe("microservices user registration (microservices_example/user_registration_ts, blog post 03)", () => {
	it("creates the account, sets up billing and preferences in parallel, welcomes and activates the user", async () => {
		const email = `test_${crypto.randomUUID()}@example.com`;
		const outcome = await run("microservices_example", "user_registration_ts", {
			user_info: { email, name: "Test User", plan: "pro", source: "api_test" },
		});
		expectComplete(outcome, [
			"create_user_account",
			"setup_billing_profile",
			"initialize_preferences",
			"send_welcome_sequence",
			"update_user_status",
		]);
		const welcome = outcome.steps.find((step) => step.name === "send_welcome_sequence");
		expect(welcome?.dependencies).toEqual(["setup_billing_profile", "initialize_preferences"]);
		expect(outcome.results.create_user_account).toMatchObject({ email, plan: "pro", status: "created" });
		expect(outcome.results.setup_billing_profile).toMatchObject({
			plan: "pro",
			monthly_price: 29,
			status: "active",
		});
		expect(outcome.results.update_user_status).toMatchObject({
			status: "active",
			registration_status: "complete",
		});
	});
});

const PAYMENTS_STEPS = [
	"validate_payment_eligibility",
	"process_gateway_refund",
	"update_payment_records",
	"notify_customer",
];
const CUSTOMER_SUCCESS_STEPS = [
	"validate_refund_request",
	"check_refund_policy",
	"get_manager_approval",
	"execute_refund_workflow",
	"update_ticket_status",
];

const paymentsRefund = (paymentId: string, amount: number, email: string) => ({
	payment_id: paymentId,
	refund_amount: amount,
	refund_reason: "customer_request",
	customer_email: email,
	partial_refund: false,
});

const customerSuccessRefund = (ticketId: string, customerId: string, amount: number, email: string) => ({
	ticket_id: ticketId,
	customer_id: customerId,
	refund_amount: amount,
	refund_reason: "Product defective",
	customer_email: email,
	agent_notes: "Customer very upset, expedite refund",
	requires_approval: true,
});

describe("refunds of two teams (blog post 04, team scaling)", () => {
	it("payments_example/payments_process_refund_ts refunds 49.99 in 4 steps", async () => {
		const outcome = await run(
			"payments_example",
			"payments_process_refund_ts",
			paymentsRefund("pay_test_12345abc", 4999, "customer@example.com"),
		);
		expectComplete(outcome, PAYMENTS_STEPS);
		expect(outcome.results.process_gateway_refund).toMatchObject({
			refund_processed: true,
			payment_id: "pay_test_12345abc",
			refund_amount: 4999,
		});
		expect(outcome.results.notify_customer).toMatchObject({
			notification_sent: true,
			recipient: "customer@example.com",
		});
	});

	it("customer_success_example/customer_success_process_refund_ts resolves the ticket in 5 steps", async () => {
		const outcome = await run(
			"customer_success_example",
			"customer_success_process_refund_ts",
			customerSuccessRefund("ticket_cs_789", "cust_premium_456", 4999, "premium@example.com"),
		);
		expectComplete(outcome, CUSTOMER_SUCCESS_STEPS);
		// A premium customer's refund needs no manager: auto-approved by the policy.
		expect(outcome.results.check_refund_policy).toMatchObject({
			customer_tier: "premium",
			requires_approval: false,
		});
		expect(outcome.results.get_manager_approval).toMatchObject({
			approval_obtained: true,
			auto_approved: true,
		});
		expect(outcome.results.execute_refund_workflow).toMatchObject({
			task_delegated: true,
			target_namespace: "payments_example",
		});
		expect(outcome.results.update_ticket_status).toMatchObject({
			new_status: "resolved",
			refund_completed: true,
		});
	});

	it("runs both teams' refunds side by side, each in its own namespace", async () => {
		const [payments, customerSuccess] = await Promise.all([
			run(
				"payments_example",
				"payments_process_refund_ts",
				paymentsRefund("pay_concurrent_123", 2999, "concurrent1@example.com"),
			),
			run(
				"customer_success_example",
				"customer_success_process_refund_ts",
				customerSuccessRefund("ticket_concurrent_456", "cust_gold_789", 2999, "concurrent2@example.com"),
			),
		]);
		expectComplete(payments, PAYMENTS_STEPS);
		expect(payments.task.namespace).toBe("payments_example");
		expectComplete(customerSuccess, CUSTOMER_SUCCESS_STEPS);
		expect(customerSuccess.task.namespace).toBe("customer_success_example");
		expect(customerSuccess.results.check_refund_policy).toMatchObject({ customer_tier: "gold" });
	});
});

describe("error scenarios (test_scenarios_example)", () => {
	it("success_only_ts completes its one step, with or without the optional message", async () => {
		const [withMessage, without] = await Promise.all([
			run("test_scenarios_example", "success_only_ts", { message: "Hello from TypeScript E2E test" }),
			run("test_scenarios_example", "success_only_ts", {}),
		]);
		expectComplete(withMessage, ["success_step"]);
		expect(withMessage.results.success_step?.message).toBe("Hello from TypeScript E2E test");
		expect(withMessage.elapsedMs).toBeLessThan(3_000);
		expectComplete(without, ["success_step"]);
		expect(without.results.success_step?.message).toBe("Hello from tasker-edge!");
	});

	it("permanent_error_only_ts ends in error after one attempt, without retrying", async () => {
		const outcome = await run("test_scenarios_example", "permanent_error_only_ts", {
			error_message: "Permanent failure from TypeScript",
		});
		expect(outcome.task.status).toBe("error");
		expect(outcome.task.executionStatus).toMatch(/error|blocked|fail/);
		expect(outcome.elapsedMs).toBeLessThan(5_000);
		expect(outcome.steps).toHaveLength(1);
		expect(outcome.steps[0]).toMatchObject({
			name: "permanent_error_step_ts",
			currentState: "error",
			attempts: 1,
			lastError: {
				message: "Permanent failure from TypeScript",
				error_type: "permanent_error",
				retryable: false,
			},
		});
	});

	it("retryable_error_only_ts is retried to its 3 attempts (2 retries, with backoff), then ends in error", async () => {
		const outcome = await run("test_scenarios_example", "retryable_error_only_ts", {
			error_message: "Temporary failure from TypeScript - will retry",
		});
		expect(outcome.task.status).toBe("error");
		expect(outcome.task.executionStatus).toMatch(/error|blocked|fail/);
		// Two backoffs of about 100 and 200 ms lie between the three attempts.
		expect(outcome.elapsedMs).toBeGreaterThan(100);
		expect(outcome.elapsedMs).toBeLessThan(10_000);
		expect(outcome.steps).toHaveLength(1);
		expect(outcome.steps[0]).toMatchObject({
			name: "retryable_error_step_ts",
			currentState: "error",
			attempts: 3,
			maxAttempts: 3,
			lastError: { message: "Temporary failure from TypeScript - will retry", error_type: "retryable_error" },
		});
	});
});

interface TaskEvent {
	event: {
		event_name: string;
		delivery_mode: string;
		payload: { payload: unknown };
		metadata: Record<string, unknown>;
	};
	delivery: { status: string };
}

/** GET /v1/tasks/{uuid}/events, read again until `count` events are there (or 5 s have passed). */
async function eventsOf(taskUuid: string, count: number): Promise<TaskEvent[]> {
	const deadline = Date.now() + 5_000;
	for (;;) {
		const response = await fetch(`${client.baseUrl}/v1/tasks/${taskUuid}/events`);
		expect(response.status).toBe(200);
		const events = (await response.json()) as TaskEvent[];
		if (events.length >= count || Date.now() > deadline) return events;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

const DOMAIN_EVENT_STEPS = [
	"domain_events_ts_validate_order",
	"domain_events_ts_process_payment",
	"domain_events_ts_update_inventory",
	"domain_events_ts_send_notification",
];

describe("domain event publishing (domain_events_example/domain_event_publishing_ts)", () => {
	it("completes its 4 steps in under 10 s: publishing does not hold the steps up", async () => {
		const outcome = await run("domain_events_example", "domain_event_publishing_ts", {
			order_id: "ORD-TS-001",
			customer_id: "CUST-TS-001",
			amount: 99.99,
		});
		expectComplete(outcome, DOMAIN_EVENT_STEPS);
		expect(outcome.elapsedMs).toBeLessThan(10_000);
		expect(outcome.results.domain_events_ts_process_payment).toMatchObject({
			order_id: "ORD-TS-001",
			amount: 99.99,
		});

		// Each step published its declared events, its result as the payload: payment.failed (on failure
		// only) was not. Publishing happens after the step's result is saved, so the last may lag a little.
		const events = await eventsOf(outcome.task.taskUuid, 4);
		expect(events.map((e) => e.event.event_name)).toEqual([
			"order.validated",
			"payment.processed",
			"inventory.updated",
			"notification.sent",
		]);
		const processed = events.find((e) => e.event.event_name === "payment.processed");
		expect(processed?.event.payload.payload).toMatchObject({ order_id: "ORD-TS-001", amount: 99.99 });
		expect(processed?.event.metadata).toMatchObject({
			task_uuid: outcome.task.taskUuid,
			step_name: "domain_events_ts_process_payment",
			correlation_id: outcome.task.correlationId,
		});
		expect(processed?.event.delivery_mode).toBe("durable");
	});

	it("runs 3 tasks at once, every one complete", async () => {
		const outcomes = await Promise.all(
			[1, 2, 3].map((i) =>
				run("domain_events_example", "domain_event_publishing_ts", {
					order_id: `ORD-TS-CONC-00${i}`,
					customer_id: `CUST-TS-CONC-00${i}`,
					amount: 100 * i,
				}),
			),
		);
		for (const outcome of outcomes) expectComplete(outcome, DOMAIN_EVENT_STEPS);
	});
});
describe("method dispatch and resolver hints (resolver_tests_example)", () => {
	it.each<[{ amount: number; reason?: string }, number]>([
		[{ amount: 100.0, reason: "test_refund" }, 110],
		[{ amount: 250.0, reason: "customer_request" }, 275],
		[{ amount: 50.0 }, 55],
	])("method_dispatch_ts with data %j runs validate, process, refund, then call", async (data, processed) => {
		const outcome = await run("resolver_tests_example", "method_dispatch_ts", { data });
		expectComplete(outcome, ["validate_step", "process_step", "refund_step", "default_call_step"]);
		expect(outcome.results.validate_step).toMatchObject({ invoked_method: "validate", validated: true });
		expect(outcome.results.process_step).toMatchObject({
			invoked_method: "process",
			processed_amount: processed,
		});
		expect(outcome.results.refund_step).toMatchObject({
			invoked_method: "refund",
			refund_amount: data.amount,
			refund_reason: data.reason ?? "not_specified",
		});
		expect(outcome.results.default_call_step).toMatchObject({ invoked_method: "call" });
	});

	it.each([["test_action"], ["combined_test"]])(
		"resolver_hints_ts (action_type %s) finds every handler, hinted or not, and combines a hint with a method",
		async (actionType) => {
			const outcome = await run("resolver_tests_example", "resolver_hints_ts", { action_type: actionType });
			expectComplete(outcome, ["explicit_resolver_step", "combined_hint_step", "chain_resolution_step"]);
			expect(outcome.results.explicit_resolver_step).toMatchObject({
				invoked_method: "call",
				handler: "MultiMethodHandler",
			});
			expect(outcome.results.combined_hint_step).toMatchObject({
				invoked_method: "execute_action",
				handler: "AlternateMethodHandler",
				action_type: actionType,
			});
			expect(outcome.results.chain_resolution_step).toMatchObject({ invoked_method: "call" });
		},
	);
});

describe("input_schema at submission", () => {
	it("refuses a context that breaks the template's input_schema with a 400 naming the paths, and creates no task", async () => {
		const marker = `schema-${crypto.randomUUID()}`;
		const before = await client.listTasks({ namespace: "payments_example", perPage: 100 });
		const response = await fetch(`${client.baseUrl}/v1/tasks`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({
				name: "payments_process_refund_ts",
				namespace: "payments_example",
				version: "1.0.0",
				// payment_id breaks its pattern, refund_amount is a string, refund_reason is not in the enum.
				context: { payment_id: "card_123", refund_amount: "4999", refund_reason: "changed_mind", marker },
				initiator: "integration-test",
				source_system: "test",
				reason: marker,
			}),
		});
		expect(response.status).toBe(400);
		const body = (await response.json()) as { error: { code: string; message: string } };
		expect(body.error.message).toContain("payment_id");
		expect(body.error.message).toContain("refund_amount");
		expect(body.error.message).toContain("refund_reason");
		const after = await client.listTasks({ namespace: "payments_example", perPage: 100 });
		expect(after.pagination.totalCount).toBe(before.pagination.totalCount);
		expect(after.tasks.some((task) => task.reason === marker)).toBe(false);
	});

	it("refuses an even_number that is not an integer, naming it", async () => {
		const error = await client
			// The reference client's form: initiator, source_system and reason take its defaults.
			.createTask({
				name: "mathematical_sequence_ts",
				namespace: "linear_workflow_example",
				context: { even_number: 7.5 },
			})
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ status: 400 });
		expect((error as Error).message).toContain("even_number");
	});
});
