// The seed's order workflow handlers, run as the consumer runs them, on the seed's own input.
import { describe, expect, it } from "vitest";
import type { StepOutcome, StepRunInput } from "../../src/core/step-outcome";
import { runStepHandler } from "../../src/handler-api/run-step-handler";
import type { StepHandlerClass } from "../../src/handler-api/step-handler";
import { ChargePaymentHandler } from "../../src/handlers/order/charge-payment";
import { NotifyCustomerHandler } from "../../src/handlers/order/notify-customer";
import { deterministicId, fnv1a64Hex } from "../../src/handlers/order/order-ids";
import { ReserveInventoryHandler } from "../../src/handlers/order/reserve-inventory";
import { ValidateOrderHandler } from "../../src/handlers/order/validate-order";

const TASK_UUID = "0195f0a0-0000-7000-8000-000000000001";

const seedContext = {
	order_id: "ORD-12345",
	customer_email: "customer@example.com",
	items: [
		{ sku: "WIDGET-A", price: 29.99, quantity: 2 },
		{ sku: "GADGET-B", price: 49.99, quantity: 1 },
	],
};

function stepInput(stepName: string, callable: string, overrides: Partial<StepRunInput> = {}): StepRunInput {
	return {
		task_uuid: TASK_UUID,
		step_uuid: `uuid-of-${stepName}`,
		step_name: stepName,
		namespace: "default",
		task_name: "order_processing",
		task_version: "1.0.0",
		correlation_id: "corr-1",
		callable,
		initialization: {},
		context: seedContext,
		dependency_results: {},
		attempt: 1,
		max_attempts: 3,
		timeout_seconds: 30,
		...overrides,
	};
}

async function run(
	handler: StepHandlerClass,
	stepName: string,
	overrides: Partial<StepRunInput> = {},
): Promise<StepOutcome> {
	return runStepHandler(handler, stepInput(stepName, handler.handlerName, overrides));
}

function resultOf(outcome: StepOutcome): unknown {
	if (!outcome.success) throw new Error(`step failed: ${JSON.stringify(outcome.error)}`);
	return outcome.result;
}

describe("the seed's order workflow", () => {
	it("runs end to end on the seed's input", async () => {
		const validation = resultOf(await run(ValidateOrderHandler, "validate_order"));
		expect(validation).toEqual({ valid: true, total: 109.97, item_count: 2 });

		const afterValidate = { validate_order: validation };
		const reservation = resultOf(
			await run(ReserveInventoryHandler, "reserve_inventory", { dependency_results: afterValidate }),
		);
		expect(reservation).toEqual({
			reserved: true,
			reservation_id: deterministicId("RES", `${TASK_UUID}:uuid-of-reserve_inventory`),
			items: [
				{ sku: "WIDGET-A", quantity: 2 },
				{ sku: "GADGET-B", quantity: 1 },
			],
		});

		const notification = resultOf(
			await run(NotifyCustomerHandler, "notify_customer", { dependency_results: afterValidate }),
		);
		expect(notification).toEqual({ notified: true, email: "customer@example.com" });

		const charge = resultOf(
			await run(ChargePaymentHandler, "charge_payment", {
				dependency_results: { validate_order: validation, reserve_inventory: reservation },
			}),
		);
		expect(charge).toEqual({
			charged: true,
			amount: 109.97,
			reservation_id: (reservation as { reservation_id: string }).reservation_id,
			transaction_id: deterministicId("TXN", `${TASK_UUID}:uuid-of-charge_payment`),
		});
	});
});

describe("ValidateOrderHandler", () => {
	it("totals the seed's items to exactly 109.97", async () => {
		const validation = resultOf(await run(ValidateOrderHandler, "validate_order")) as { total: number };
		expect(validation.total).toBe(109.97);
	});

	it("sums in cents, free of floating-point error", async () => {
		const context = { order_id: "O", items: [{ sku: "A", price: 0.1, quantity: 3 }] };
		expect(resultOf(await run(ValidateOrderHandler, "validate_order", { context }))).toEqual({
			valid: true,
			total: 0.3,
			item_count: 1,
		});
	});

	it.each([
		["no order_id", { items: seedContext.items }],
		["an empty order_id", { order_id: "", items: seedContext.items }],
		["no items", { order_id: "O" }],
		["empty items", { order_id: "O", items: [] }],
	])("fails permanently with MISSING_INPUT on %s", async (_case, context) => {
		const outcome = await run(ValidateOrderHandler, "validate_order", { context });
		expect(outcome).toMatchObject({
			success: false,
			error: {
				name: "PermanentError",
				error_type: "permanent_error",
				error_code: "MISSING_INPUT",
				message: "Missing order_id or items",
				retryable: false,
			},
		});
	});

	it.each([
		[{ sku: "A", price: "9.99", quantity: 1 }, "items[1].price"],
		[{ sku: "A", price: -1, quantity: 1 }, "items[1].price"],
		[{ sku: "A", quantity: 1 }, "items[1].price"],
		[{ sku: "A", price: 1, quantity: 0 }, "items[1].quantity"],
		[{ sku: "A", price: 1, quantity: 1.5 }, "items[1].quantity"],
		[null, "items[1].item"],
	])("fails permanently with INVALID_ITEM on %j", async (badItem, where) => {
		const context = { order_id: "O", items: [seedContext.items[0], badItem] };
		const outcome = await run(ValidateOrderHandler, "validate_order", { context });
		expect(outcome).toMatchObject({
			success: false,
			error: { error_type: "permanent_error", error_code: "INVALID_ITEM", retryable: false },
		});
		expect(!outcome.success && outcome.error.message).toContain(where);
	});

	it("accepts a free item", async () => {
		const context = { order_id: "O", items: [{ sku: "GIFT", price: 0, quantity: 1 }] };
		expect(resultOf(await run(ValidateOrderHandler, "validate_order", { context }))).toMatchObject({
			total: 0,
		});
	});
});

describe("ReserveInventoryHandler and ChargePaymentHandler ids", () => {
	const validation = { valid: true, total: 109.97, item_count: 2 };

	it("derive the same id on a retry of the same step", async () => {
		const deps = { dependency_results: { validate_order: validation } };
		const first = resultOf(await run(ReserveInventoryHandler, "reserve_inventory", { ...deps, attempt: 1 }));
		const retry = resultOf(await run(ReserveInventoryHandler, "reserve_inventory", { ...deps, attempt: 2 }));
		expect(retry).toEqual(first);
		expect((first as { reservation_id: string }).reservation_id).toMatch(/^RES-[0-9A-F]{16}$/);
	});

	it("derive different ids for different tasks", async () => {
		const deps = {
			dependency_results: { validate_order: validation, reserve_inventory: { reservation_id: "R" } },
		};
		const one = resultOf(await run(ChargePaymentHandler, "charge_payment", deps)) as {
			transaction_id: string;
		};
		const other = resultOf(
			await run(ChargePaymentHandler, "charge_payment", { ...deps, task_uuid: "another-task" }),
		) as { transaction_id: string };
		expect(one.transaction_id).toMatch(/^TXN-[0-9A-F]{16}$/);
		expect(other.transaction_id).not.toBe(one.transaction_id);
	});

	it("hash with 64-bit FNV-1a", () => {
		// Published FNV-1a 64 test vectors.
		expect(fnv1a64Hex("")).toBe("cbf29ce484222325");
		expect(fnv1a64Hex("a")).toBe("af63dc4c8601ec8c");
		expect(fnv1a64Hex("foobar")).toBe("85944171f73967e8");
	});
});

describe("missing inputs and dependencies", () => {
	it("NotifyCustomerHandler fails permanently with MISSING_INPUT without customer_email", async () => {
		const outcome = await run(NotifyCustomerHandler, "notify_customer", {
			context: { order_id: "O", items: seedContext.items },
			dependency_results: { validate_order: { valid: true, total: 1, item_count: 1 } },
		});
		expect(outcome).toMatchObject({
			success: false,
			error: { error_type: "permanent_error", error_code: "MISSING_INPUT", retryable: false },
		});
	});

	it("ReserveInventoryHandler fails permanently with MISSING_INPUT without items", async () => {
		const outcome = await run(ReserveInventoryHandler, "reserve_inventory", {
			context: { order_id: "O" },
			dependency_results: { validate_order: { valid: true, total: 1, item_count: 1 } },
		});
		expect(outcome).toMatchObject({
			success: false,
			error: { error_code: "MISSING_INPUT", retryable: false },
		});
	});

	it("ChargePaymentHandler fails permanently with UNKNOWN_DEPENDENCY when an ancestor's result is absent", async () => {
		const outcome = await run(ChargePaymentHandler, "charge_payment", {
			dependency_results: { reserve_inventory: { reservation_id: "R" } },
		});
		expect(outcome).toMatchObject({
			success: false,
			error: { error_type: "permanent_error", error_code: "UNKNOWN_DEPENDENCY", retryable: false },
		});
	});
});
