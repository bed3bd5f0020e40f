// A handler that ends by waiting, in the real Workers runtime: process_payment's handler runs once
// through the queue and returns StepHandlerResult.waitForEvent; its outcome passes through the
// consumer and the task object unchanged, and the step waits (no further delivery) until the
// provider's payment_confirmed arrives by the API. The payload becomes its result, the payment id the
// handler started with is kept beside it, and the order completes. (Its timeout is covered by the
// engine's unit tests: a day-long deadline cannot pass under a real clock here.)
import { describe, expect, it, vi } from "vitest";
import { fireAlarm, postJson, SEED_ORDER_CONTEXT, stepsByName, submitTask, waitForTask } from "./helpers";
import { deliveries } from "./test-worker";

async function untilStep(taskUuid: string, step: string, state: string) {
	await vi.waitFor(async () => expect((await stepsByName(taskUuid))[step]?.current_state).toBe(state), {
		timeout: 10_000,
		interval: 20,
	});
}

const sendEvent = (taskUuid: string, body: unknown) => postJson(`/v1/tasks/${taskUuid}/events`, body);

describe("a handler that ends by waiting for a callback", () => {
	it("waits after its handler ran once, then completes with the callback's payload", async () => {
		const orderId = `ORD-${crypto.randomUUID()}`;
		const task = await submitTask("order_paid_by_callback", { ...SEED_ORDER_CONTEXT, order_id: orderId });
		await untilStep(task.task_uuid, "process_payment", "waiting_for_event");
		// Its handler ran once (through the queue or handed over by validate_order's reporter).
		const attempts = async () => (await stepsByName(task.task_uuid)).process_payment?.attempts;
		expect(await attempts()).toBe(1);
		const queued = () => deliveries.filter((d) => d.step_name === "process_payment");
		const queuedBefore = queued().length;
		// An alarm pass while it waits (before its deadline) changes nothing and runs nothing.
		await fireAlarm(task.task_uuid);
		expect((await stepsByName(task.task_uuid)).process_payment?.current_state).toBe("waiting_for_event");

		// Another order's callback is kept, not taken.
		const other = await sendEvent(task.task_uuid, {
			name: "payment_confirmed",
			payload: { order_id: "ORD-x" },
		});
		expect(other.status).toBe(202);

		const payload = { order_id: orderId, amount: 109.97, provider_status: "captured" };
		const sent = await sendEvent(task.task_uuid, { name: "payment_confirmed", payload, event_id: "cb-1" });
		expect(sent.status).toBe(200);
		expect(await sent.json()).toMatchObject({ status: "delivered", step_name: "process_payment" });
		await waitForTask(task.task_uuid, (view) => expect(view.status).toBe("complete"));
		const steps = await stepsByName(task.task_uuid);
		expect(steps.process_payment?.results?.result).toEqual(payload);
		expect(JSON.stringify(steps.process_payment?.results)).toMatch(
			/"handler_result":\{"payment_id":"PAY-[0-9A-F]{16}"/,
		);
		// The handler never ran again: waiting took no consumer.
		expect(await attempts()).toBe(1);
		expect(queued()).toHaveLength(queuedBefore);
	});
});
