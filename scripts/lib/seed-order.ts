// The seed's order (first-workflow.md) as a POST /v1/tasks body, and the check of its charge: one copy for
// the demo and the benchmark, so that both submit and verify exactly the same order.
import type { z } from "zod";
import type { StepView } from "../../src/core/task-views";
import type { taskRequestSchema } from "../../src/http/task-request-schema";

/** What a client may send to POST /v1/tasks (defaults not yet applied). */
export type TaskRequestBody = z.input<typeof taskRequestSchema>;

export const SEED_ORDER_CONTEXT = {
	order_id: "ORD-12345",
	customer_email: "customer@example.com",
	items: [
		{ sku: "WIDGET-A", price: 29.99, quantity: 2 },
		{ sku: "GADGET-B", price: 49.99, quantity: 1 },
	],
} as const;

/** 2 × 29.99 + 49.99, what charge_payment must charge: stated, not recomputed, so a pricing bug cannot hide. */
export const SEED_ORDER_TOTAL = 109.97;

/** The seed's step names, in template order. */
export const SEED_ORDER_STEPS = ["validate_order", "reserve_inventory", "notify_customer", "charge_payment"];

/**
 * The request body for the seed's order, as a new order: its `order_id` is the seed's with a fresh suffix
 * (`ORD-12345-1f0c9a3e`), as a real new order has its own id; the same context twice would be one order
 * (a 409: see the README's idempotent submission). `overrides` replace whole fields (e.g. `source_system`).
 */
export function seedOrderRequest(overrides: Partial<TaskRequestBody> = {}): TaskRequestBody {
	return {
		name: "order_processing",
		// A deep copy, so that a caller editing its request cannot change the seed for the next one.
		context: {
			...(structuredClone(SEED_ORDER_CONTEXT) as unknown as Record<string, unknown>),
			order_id: `${SEED_ORDER_CONTEXT.order_id}-${crypto.randomUUID().slice(0, 8)}`,
		},
		initiator: "api:checkout",
		source_system: "tasker-edge-scripts",
		reason: "New order received",
		...overrides,
	};
}

export interface SeedCharge {
	amount: number;
	transactionId: string;
}

/**
 * The charge of a finished seed order, read from its steps; throws with what is wrong unless all four steps
 * are complete and charge_payment charged exactly SEED_ORDER_TOTAL.
 */
export function verifySeedCharge(steps: readonly StepView[]): SeedCharge {
	const incomplete = steps.filter((step) => step.current_state !== "complete").map((step) => step.name);
	const names = steps.map((step) => step.name).join(", ");
	if (steps.length !== SEED_ORDER_STEPS.length || incomplete.length > 0) {
		throw new Error(`expected the 4 seed steps complete; got [${names}], not complete: [${incomplete}]`);
	}
	const charge = steps.find((step) => step.name === "charge_payment");
	const result = charge?.results?.result as { amount?: unknown; transaction_id?: unknown } | undefined;
	if (result?.amount !== SEED_ORDER_TOTAL) {
		throw new Error(
			`charge_payment charged ${JSON.stringify(result?.amount)}, expected ${SEED_ORDER_TOTAL} ` +
				`(result: ${JSON.stringify(result)})`,
		);
	}
	return { amount: result.amount, transactionId: String(result.transaction_id) };
}
