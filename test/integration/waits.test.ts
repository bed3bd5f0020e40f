// Waiting steps in the real Workers runtime: an order waits for payment_confirmed as a row and an alarm
// (no queue message, no consumer), the event arrives by the API and completes it with its payload, and
// the order goes on at once; a sleep wakes at its alarm (fired by the test, never a sleep); a wait with
// on_timeout complete_with_null completes at its deadline.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import {
	api,
	fireAlarmsUntil,
	postJson,
	SEED_ORDER_CONTEXT,
	stepsByName,
	submitTask,
	waitForTask,
} from "./helpers";
import { deliveries } from "./test-worker";

async function untilStep(taskUuid: string, step: string, state: string) {
	await vi.waitFor(async () => expect((await stepsByName(taskUuid))[step]?.current_state).toBe(state), {
		timeout: 10_000,
		interval: 20,
	});
}

const sendEvent = (taskUuid: string, body: unknown) => postJson(`/v1/tasks/${taskUuid}/events`, body);

describe("an order waiting for its payment", () => {
	it("waits with no message and no consumer, then completes with the event's payload", async () => {
		const orderId = `ORD-${crypto.randomUUID()}`;
		const task = await submitTask("order_awaiting_payment", { ...SEED_ORDER_CONTEXT, order_id: orderId });
		await untilStep(task.task_uuid, "await_payment", "waiting_for_event");
		// Only validate_order went through the queue: the waiting step was never sent to a consumer.
		expect(deliveries.filter((d) => d.step_name === "await_payment")).toEqual([]);

		// Another order's confirmation is kept, not taken.
		const other = await sendEvent(task.task_uuid, {
			name: "payment_confirmed",
			payload: { order_id: "ORD-other" },
		});
		expect(other.status).toBe(202);
		expect(await other.json()).toMatchObject({ status: "buffered" });
		expect((await stepsByName(task.task_uuid)).await_payment?.current_state).toBe("waiting_for_event");

		const payload = { order_id: orderId, amount: 109.97, provider: "test-pay" };
		const sent = await sendEvent(task.task_uuid, { name: "payment_confirmed", payload, event_id: "pay-1" });
		expect(sent.status).toBe(200);
		expect(await sent.json()).toMatchObject({ status: "delivered", step_name: "await_payment" });
		await waitForTask(task.task_uuid, (view) => expect(view.status).toBe("complete"));
		const steps = await stepsByName(task.task_uuid);
		expect(steps.await_payment?.results?.result).toEqual(payload);
		expect(steps.notify_customer?.current_state).toBe("complete");

		// The same event again (a retried webhook): applied once; after the task: still a duplicate.
		const again = await sendEvent(task.task_uuid, { name: "payment_confirmed", payload, event_id: "pay-1" });
		expect(await again.json()).toEqual({
			status: "duplicate",
			step_uuid: steps.await_payment?.step_uuid,
			step_name: "await_payment",
			task_status: "complete",
		});
		const late = await sendEvent(task.task_uuid, {
			name: "payment_confirmed",
			payload: {},
			event_id: "pay-2",
		});
		expect(late.status).toBe(409);
	});

	it("is counted by the fleet's tasker_steps_waiting gauge while it waits, and no longer once paid", async () => {
		const waitingNow = async () => {
			const text = await (await api("/metrics")).text();
			const line = text
				.split("\n")
				.find((l) => l.startsWith("tasker_steps_waiting{") && l.includes('task="order_awaiting_payment"'));
			return Number(line?.split(" ").at(-1) ?? 0);
		};
		// The order of the test before ended a moment ago: its end push (which takes it off the gauge) is
		// not awaited by anything, so a read now could still count it and then see it go mid-test.
		// Each test file has its own storage, so once that push has landed nothing here is waiting.
		await vi.waitFor(async () => expect(await waitingNow()).toBe(0), { timeout: 10_000, interval: 20 });
		const before = 0;
		const orderId = `ORD-${crypto.randomUUID()}`;
		const task = await submitTask("order_awaiting_payment", { ...SEED_ORDER_CONTEXT, order_id: orderId });
		await untilStep(task.task_uuid, "await_payment", "waiting_for_event");
		// Pushed as the step starts waiting, not only when the task ends or ten seconds on.
		await vi.waitFor(async () => expect(await waitingNow()).toBe(before + 1), {
			timeout: 10_000,
			interval: 20,
		});
		await sendEvent(task.task_uuid, { name: "payment_confirmed", payload: { order_id: orderId } });
		await waitForTask(task.task_uuid, (view) => expect(view.status).toBe("complete"));
		await vi.waitFor(async () => expect(await waitingNow()).toBe(before), { timeout: 10_000, interval: 20 });
	});

	it("answers a client's mistakes naming the field, and an unknown task with 404", async () => {
		const missing = await sendEvent("01900000-0000-7000-8000-000000000000", { name: "payment_confirmed" });
		expect(missing.status).toBe(404);
		const task = await submitTask("order_awaiting_payment", { ...SEED_ORDER_CONTEXT, order_id: "ORD-bad" });
		const badName = await sendEvent(task.task_uuid, { name: "no spaces", payload: {} });
		expect(badName.status).toBe(400);
		expect(await badName.text()).toContain("name: expected an event name");
		const unknownKey = await sendEvent(task.task_uuid, { name: "x", body: {} });
		expect(((await unknownKey.json()) as { error: { message: string } }).error.message).toContain(
			'unknown key "body"',
		);
		await api(`/v1/tasks/${task.task_uuid}`, { method: "DELETE" });
	});
});

describe("a durable sleep and a wait that times out", () => {
	it("sleeps until its alarm, then the order goes on", async () => {
		const task = await submitTask("order_follow_up", {
			...SEED_ORDER_CONTEXT,
			order_id: `ORD-${crypto.randomUUID()}`,
		});
		await untilStep(task.task_uuid, "pause", "sleeping");
		const pause = (await stepsByName(task.task_uuid)).pause;
		expect(pause?.current_state).toBe("sleeping");
		await fireAlarmsUntil(
			task.task_uuid,
			async () => (await stepsByName(task.task_uuid)).pause?.current_state === "complete",
		);
		await waitForTask(task.task_uuid, (view) => expect(view.status).toBe("complete"));
	});

	it("with on_timeout complete_with_null, completes with null at its deadline", async () => {
		const task = await submitTask("order_payment_window", {
			...SEED_ORDER_CONTEXT,
			order_id: `ORD-${crypto.randomUUID()}`,
		});
		await untilStep(task.task_uuid, "await_payment", "waiting_for_event");
		await fireAlarmsUntil(
			task.task_uuid,
			async () => (await stepsByName(task.task_uuid)).await_payment?.current_state === "complete",
		);
		await waitForTask(task.task_uuid, (view) => expect(view.status).toBe("complete"));
		const steps = await stepsByName(task.task_uuid);
		expect(steps.await_payment?.results?.result).toBeNull();
		expect(env.TASKS).toBeDefined();
	});
});
