// Handler workers per namespace in workerd: NAMESPACE_QUEUES (the billing example's config) routes the billing
// namespace to its own queue, whose consumer (the billing Worker's, see test-worker.ts) has only the
// billing handlers; every other namespace keeps the default queue and the orchestrator's consumer.
import { runInDurableObject } from "cloudflare:test";
import { v7 as uuidv7 } from "uuid";
import { describe, expect, it } from "vitest";
import type { TaskObject } from "../../durable-objects/task-object";
import { templates } from "../../examples/billing-worker/generated/registry";
import { rawStub, SEED_ORDER_CONTEXT, stepsByName, submitTask, taskStub, waitForTask } from "./helpers";
import { deliveries } from "./test-worker";

const INVOICE_CONTEXT = {
	lines: [
		{ sku: "WIDGET-A", price: 29.99, quantity: 2 },
		{ sku: "GADGET-B", price: 49.99, quantity: 1 },
	],
	country: "NL",
};

const deliveredFor = (stepNames: readonly string[]) =>
	deliveries.filter((d) => stepNames.includes(d.step_name)).map((d) => [d.queue, d.step_name]);

describe("steps routed to a queue per namespace", () => {
	it("a billing task runs in the billing consumer only: its root through the billing queue, the rest handed over", async () => {
		const created = await submitTask("invoice_order", INVOICE_CONTEXT, "billing");
		await waitForTask(created.task_uuid, (task) => expect(task.status).toBe("complete"));
		const steps = await stepsByName(created.task_uuid);
		expect(steps.price_lines?.results?.result).toMatchObject({
			subtotal: 109.97,
			priced_by: "tasker-billing",
		});
		expect(steps.apply_tax?.results?.result).toEqual({ rate: 0.21, tax: 23.09 });
		expect(steps.issue_invoice?.results?.result).toMatchObject({
			total: 133.06,
			issued_by: "tasker-billing",
		});
		// One message, on the billing queue; the billing consumer's reports named its handlers, so it was
		// handed the three successors (a consumer without them would have failed them: HANDLER_NOT_FOUND).
		expect(deliveredFor(["price_lines", "apply_tax", "apply_discount", "issue_invoice"])).toEqual([
			["tasker-steps-billing", "price_lines"],
		]);
	});

	it("a default-namespace task still goes to the default queue", async () => {
		const before = deliveries.length;
		const created = await submitTask("order_processing", SEED_ORDER_CONTEXT);
		await waitForTask(created.task_uuid, (task) => expect(task.status).toBe("complete"));
		const mine = deliveries.slice(before).filter((d) => d.step_name === "validate_order");
		expect(mine).toEqual([{ queue: "tasker-steps", step_name: "validate_order" }]);
	});
});

describe("a broken NAMESPACE_QUEUES", () => {
	it("refuses to create a task, naming the problem, and leaves nothing behind", async () => {
		const taskUuid = uuidv7();
		const template = templates.find((t) => t.name === "invoice_order");
		if (!template) throw new Error("the billing template is not registered");
		const refusal = await runInDurableObject(rawStub(taskUuid), async (instance: TaskObject) => {
			const swappable = instance as unknown as { env: Env };
			const real = swappable.env;
			swappable.env = { ...real, NAMESPACE_QUEUES: { billing: "STEP_QUEUE_BILING" } } as unknown as Env;
			try {
				await instance.create({
					taskUuid,
					template,
					context: { lines: [{ sku: "A", price: 1, quantity: 1 }] },
					initiator: "test",
					sourceSystem: "vitest",
					reason: "broken routes",
					tags: [],
					priority: 0,
					correlationId: taskUuid,
					parentCorrelationId: null,
				});
				return null;
			} catch (error) {
				return (error as Error).message;
			} finally {
				swappable.env = real;
			}
		});
		expect(refusal).toContain(
			'NAMESPACE_QUEUES.billing: "STEP_QUEUE_BILING" is not a queue producer binding',
		);
		expect(await taskStub(taskUuid).getTask()).toBeNull();
	});
});
