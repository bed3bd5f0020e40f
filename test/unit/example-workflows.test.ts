// The example workflows' handlers (src/handlers/examples/), run in plain Node on their registered templates:
// the computations the end-to-end test checks on wrangler dev, plus the failure paths each example simulates,
// and whether each failure is permanent or retryable.
import { describe, expect, it } from "vitest";
import { registeredTemplate, runTemplateInProcess } from "../support/run-template-in-process";

async function runWorkflow(namespace: string, name: string, context: Record<string, unknown>) {
	return runTemplateInProcess(registeredTemplate(namespace, name), context);
}

/** The run's first failure: which step, and how it was classified. */
function failureOf(run: Awaited<ReturnType<typeof runWorkflow>>) {
	if (run.failure === null) throw new Error("the run did not fail");
	const { error } = run.failure.outcome;
	return {
		step: run.failure.step,
		code: error.error_code,
		type: error.error_type,
		retryable: error.retryable,
	};
}

describe("linear and diamond workflows", () => {
	it("linear: 6 → 36 → 46 → 138 → 69", async () => {
		const run = await runWorkflow("linear_workflow_example", "mathematical_sequence_ts", { even_number: 6 });
		expect(run.failure).toBeNull();
		expect(run.results.linear_step_1).toMatchObject({ squared_value: 36 });
		expect(run.results.linear_step_2).toMatchObject({ added_value: 46, constant: 10 });
		expect(run.results.linear_step_3).toMatchObject({ multiplied_value: 138, factor: 3 });
		expect(run.results.linear_step_4).toMatchObject({ final_value: 69, divisor: 2 });
	});

	it.each([[7], ["6"], [null]])("linear: even_number %j fails the first step permanently", async (value) => {
		const run = await runWorkflow("linear_workflow_example", "mathematical_sequence_ts", {
			even_number: value,
		});
		expect(failureOf(run)).toEqual({
			step: "linear_step_1",
			code: "INVALID_INPUT",
			type: "permanent_error",
			retryable: false,
		});
	});

	it("diamond: 6 → 36 → (61, 72) → 66.5", async () => {
		const run = await runWorkflow("diamond_workflow_example", "parallel_computation_ts", { even_number: 6 });
		expect(run.results.diamond_end_ts).toEqual({
			final_value: 66.5,
			operation: "average",
			branch_b_value: 61,
			branch_c_value: 72,
		});
	});
});

describe("e-commerce order", () => {
	const order = (
		token: string,
		cart = [
			{ product_id: 1, quantity: 2 },
			{ product_id: 2, quantity: 1 },
		],
	) => ({
		cart_items: cart,
		customer_info: { email: "customer@example.com", name: "John Doe" },
		payment_info: { method: "credit_card", token, amount: 124.76 },
	});

	it("prices 2 × 29.99 + 49.99 at 109.97 + 8.80 tax + 5.99 shipping = 124.76 and charges exactly that", async () => {
		const run = await runWorkflow(
			"ecommerce_example",
			"ecommerce_order_processing_ts",
			order("tok_test_valid"),
		);
		expect(run.failure).toBeNull();
		expect(run.results.validate_cart).toMatchObject({
			subtotal: 109.97,
			tax: 8.8,
			shipping: 5.99,
			total: 124.76,
		});
		expect(run.results.process_payment).toMatchObject({ amount_charged: 124.76, status: "succeeded" });
		expect(run.results.create_order).toMatchObject({
			total_amount: 124.76,
			item_count: 3,
			payment_id: run.results.process_payment?.payment_id,
			reservation_id: run.results.update_inventory?.reservation_id,
		});
		expect(run.results.send_confirmation).toMatchObject({
			recipient: "customer@example.com",
			status: "sent",
		});
	});

	it("charges a retried attempt under the same payment id (derived from the step, not drawn at random)", async () => {
		const first = await runWorkflow(
			"ecommerce_example",
			"ecommerce_order_processing_ts",
			order("tok_test_valid"),
		);
		const again = await runWorkflow(
			"ecommerce_example",
			"ecommerce_order_processing_ts",
			order("tok_test_valid"),
		);
		expect(again.results.process_payment?.payment_id).toBe(first.results.process_payment?.payment_id);
	});

	it.each([
		["tok_test_declined", "CARD_DECLINED", false],
		["tok_test_insufficient_funds", "INSUFFICIENT_FUNDS", false],
		["tok_test_network_error", "GATEWAY_TIMEOUT", true],
	])("payment token %s fails process_payment with %s (retryable: %s)", async (token, code, retryable) => {
		const run = await runWorkflow("ecommerce_example", "ecommerce_order_processing_ts", order(token));
		expect(failureOf(run)).toMatchObject({ step: "process_payment", code, retryable });
	});

	it("refuses an unknown product for good, and retries a product out of stock", async () => {
		const unknown = await runWorkflow(
			"ecommerce_example",
			"ecommerce_order_processing_ts",
			order("tok_test_valid", [{ product_id: 99, quantity: 1 }]),
		);
		expect(failureOf(unknown)).toMatchObject({
			step: "validate_cart",
			code: "UNKNOWN_PRODUCT",
			retryable: false,
		});
		const soldOut = await runWorkflow(
			"ecommerce_example",
			"ecommerce_order_processing_ts",
			order("tok_test_valid", [{ product_id: 4, quantity: 1 }]),
		);
		expect(failureOf(soldOut)).toMatchObject({
			step: "validate_cart",
			code: "OUT_OF_STOCK",
			retryable: true,
		});
	});
});

describe("data pipeline analytics", () => {
	it("keeps November's five sales (1225) and scores the business 70, good", async () => {
		const run = await runWorkflow("data_pipeline_example", "analytics_pipeline_ts", {
			date_range: { start_date: "2025-11-01", end_date: "2025-11-30" },
		});
		expect(run.results.transform_sales).toMatchObject({
			record_count: 5,
			total_revenue: 1225,
			product_sales: {
				"PROD-A": { total_quantity: 8, total_revenue: 400 },
				"PROD-B": { total_quantity: 3, total_revenue: 750 },
				"PROD-C": { total_quantity: 5, total_revenue: 75 },
			},
		});
		// PROD-B has 15 on hand against a reorder point of 20; PROD-A's 150 covers its two points (80).
		expect(run.results.transform_inventory).toMatchObject({ total_quantity_on_hand: 465, reorder_alerts: 1 });
		expect(run.results.transform_customers).toMatchObject({
			value_segments: { high_value: 1, medium_value: 1, low_value: 2 },
			total_lifetime_value: 17500,
		});
		expect(run.results.aggregate_metrics).toMatchObject({
			revenue_per_customer: 306.25,
			inventory_turnover_indicator: 2.6344,
		});
		// 40 (306.25 per customer ≥ 250) + 0 (one product to reorder) + 30 (average lifetime value 4375).
		expect(run.results.generate_insights?.health_score).toEqual({
			score: 70,
			max_score: 100,
			rating: "good",
		});
	});

	it("takes every sale without a date range, and refuses a malformed date", async () => {
		const all = await runWorkflow("data_pipeline_example", "analytics_pipeline_ts", {});
		expect(all.results.aggregate_metrics).toMatchObject({ total_revenue: 1425, sales_transactions: 6 });
		const bad = await runWorkflow("data_pipeline_example", "analytics_pipeline_ts", {
			date_range: { start_date: "November" },
		});
		expect(failureOf(bad)).toMatchObject({
			step: "extract_sales_data",
			code: "INVALID_DATE_RANGE",
			retryable: false,
		});
	});
});

describe("microservices user registration", () => {
	it("skips billing for the free plan (a success, not a failure) and still activates the user", async () => {
		const run = await runWorkflow("microservices_example", "user_registration_ts", {
			user_info: { email: "free@example.com", name: "Free User" },
		});
		expect(run.failure).toBeNull();
		expect(run.results.setup_billing_profile).toMatchObject({ plan: "free", status: "skipped_free_plan" });
		expect(run.results.send_welcome_sequence).toMatchObject({ messages_sent: 2 });
		expect(run.results.update_user_status).toMatchObject({ status: "active" });
	});

	it.each([
		[{ email: "not-an-address", name: "X" }, "INVALID_EMAIL"],
		[{ email: "x@example.com" }, "MISSING_NAME"],
		[{ email: "x@example.com", name: "X", plan: "platinum" }, "UNKNOWN_PLAN"],
	])("refuses %j for good (%s)", async (userInfo, code) => {
		const run = await runWorkflow("microservices_example", "user_registration_ts", { user_info: userInfo });
		expect(failureOf(run)).toMatchObject({ step: "create_user_account", code, retryable: false });
	});
});

describe("the two teams' refunds", () => {
	const ticket = (ticketId: string, customerId: string, amount: number) => ({
		ticket_id: ticketId,
		customer_id: customerId,
		refund_amount: amount,
		customer_email: "c@example.com",
	});

	it("a standard customer's refund needs a manager's approval before it is handed to payments", async () => {
		const run = await runWorkflow(
			"customer_success_example",
			"customer_success_process_refund_ts",
			ticket("ticket_1", "cust_1", 4999),
		);
		expect(run.failure).toBeNull();
		expect(run.results.check_refund_policy).toMatchObject({
			customer_tier: "standard",
			requires_approval: true,
		});
		expect(run.results.get_manager_approval).toMatchObject({ approval_required: true, auto_approved: false });
		expect(run.results.execute_refund_workflow).toMatchObject({
			target_namespace: "payments_example",
			target_workflow: "payments_process_refund_ts",
			delegated_context: { refund_amount: 4999, payment_id: run.results.validate_refund_request?.payment_id },
			correlation_id: "corr-in-process",
		});
	});

	it.each([
		[ticket("ticket_closed_1", "cust_1", 100), "validate_refund_request", "TICKET_NOT_OPEN", false],
		[ticket("ticket_2", "cust_1", 20_000), "check_refund_policy", "OVER_REFUND_LIMIT", false],
		[ticket("ticket_denied_3", "cust_1", 100), "get_manager_approval", "APPROVAL_DENIED", false],
		[ticket("ticket_pending_4", "cust_1", 100), "get_manager_approval", "APPROVAL_PENDING", true],
		[ticket("ticket_locked_5", "cust_gold_1", 100), "update_ticket_status", "TICKET_LOCKED", true],
	])("customer success: %j fails %s with %s (retryable: %s)", async (context, step, code, retryable) => {
		const run = await runWorkflow("customer_success_example", "customer_success_process_refund_ts", context);
		expect(failureOf(run)).toMatchObject({ step, code, retryable });
	});

	const payment = (paymentId: string, email = "c@example.com") => ({
		payment_id: paymentId,
		refund_amount: 4999,
		customer_email: email,
	});

	it("payments: refunds 49.99 and tells the customer", async () => {
		const run = await runWorkflow(
			"payments_example",
			"payments_process_refund_ts",
			payment("pay_test_12345abc"),
		);
		expect(run.failure).toBeNull();
		expect(run.results.update_payment_records).toMatchObject({
			payment_status: "refunded",
			refund_id: run.results.process_gateway_refund?.refund_id,
		});
		expect(run.results.notify_customer?.subject).toBe("Your refund of 49.99 is on its way");
	});

	it.each([
		[payment("card_123"), "validate_payment_eligibility", "INVALID_PAYMENT_ID", false],
		[payment("pay_test_processing_1"), "validate_payment_eligibility", "PAYMENT_PROCESSING", true],
		[payment("pay_test_gateway_error_1"), "process_gateway_refund", "GATEWAY_ERROR", false],
		[payment("pay_test_gateway_timeout_1"), "process_gateway_refund", "GATEWAY_TIMEOUT", true],
		[payment("pay_1", "nobody"), "notify_customer", "INVALID_EMAIL", false],
	])("payments: %j fails %s with %s (retryable: %s)", async (context, step, code, retryable) => {
		const run = await runWorkflow("payments_example", "payments_process_refund_ts", context);
		expect(failureOf(run)).toMatchObject({ step, code, retryable });
	});
});

describe("error scenarios", () => {
	it("the permanent handler reports a non-retryable permanent_error with the task's message", async () => {
		const run = await runWorkflow("test_scenarios_example", "permanent_error_only_ts", {
			error_message: "boom",
		});
		expect(run.failure?.outcome.error).toMatchObject({
			message: "boom",
			error_type: "permanent_error",
			retryable: false,
		});
	});

	it("the retryable handler reports a retryable_error, with a default message", async () => {
		const run = await runWorkflow("test_scenarios_example", "retryable_error_only_ts", {});
		expect(run.failure?.outcome.error).toMatchObject({
			message: "Retryable error - will be retried",
			error_type: "retryable_error",
			retryable: true,
		});
	});
});

describe("method dispatch", () => {
	it("runs validate, process (a 10 % fee, in cents), refund and call on one handler class", async () => {
		const run = await runWorkflow("resolver_tests_example", "method_dispatch_ts", {
			data: { amount: 19.99, reason: "damaged" },
		});
		expect(run.failure).toBeNull();
		expect(run.results.validate_step).toMatchObject({ invoked_method: "validate", validated: true });
		expect(run.results.process_step).toMatchObject({
			invoked_method: "process",
			processing_fee: 2,
			processed_amount: 21.99,
		});
		expect(run.results.refund_step).toMatchObject({ invoked_method: "refund", refund_reason: "damaged" });
		expect(run.results.default_call_step).toMatchObject({ invoked_method: "call", step_number: 4 });
	});

	it("validate refuses data without a numeric amount for good", async () => {
		const run = await runWorkflow("resolver_tests_example", "method_dispatch_ts", {
			data: { amount: "ten" },
		});
		expect(failureOf(run)).toMatchObject({ step: "validate_step", code: "INVALID_AMOUNT", retryable: false });
	});
});
