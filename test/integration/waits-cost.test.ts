// What waiting costs, counted in the real runtime: many orders waiting at once hold no consumer (no
// queue delivery of their waiting step) and no alarm before their deadline (each object's one alarm is
// armed at the wait's timeout, so while it waits the object gets no request at all); and an event
// completes a waiting step within the event's own request (its dependents are released in the same
// transaction, and sent just after the answer), not a queue hop later. The figures are logged for BENCHMARKS.md.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { postJson, rawStub, SEED_ORDER_CONTEXT, stepsByName, submitTask, taskStub } from "./helpers";
import { deliveries } from "./test-worker";

const WAITING = 25;

describe("many orders waiting at once", () => {
	it("cost no consumer and no object request while they wait; an event completes one within its own request", async () => {
		const orders = await Promise.all(
			Array.from({ length: WAITING }, (_, i) =>
				submitTask("order_awaiting_payment", {
					...SEED_ORDER_CONTEXT,
					order_id: `ORD-COST-${i}-${crypto.randomUUID()}`,
				}),
			),
		);
		for (const order of orders) {
			await vi.waitFor(
				async () =>
					expect((await stepsByName(order.task_uuid)).await_payment?.current_state).toBe("waiting_for_event"),
				{ timeout: 15_000, interval: 20 },
			);
		}
		// The outbox's fallback alarm, armed when validate_order was sent, may still be pending: one
		// pass finds nothing due and re-arms for the wait's deadline. Count those passes.
		let leftoverPasses = 0;
		for (const order of orders) {
			const deadline =
				Date.parse((await stepsByName(order.task_uuid)).await_payment?.last_attempted_at ?? "") + 86_400_000;
			const armedAt = () =>
				runInDurableObject(rawStub(order.task_uuid), (_instance, state) => state.storage.getAlarm());
			while (((await armedAt()) ?? 0) < deadline - 1_000) {
				if (!(await runDurableObjectAlarm(rawStub(order.task_uuid)))) break;
				leftoverPasses += 1;
			}
			// From here until the deadline a day later, nothing wakes the object.
			expect(Math.abs(((await armedAt()) ?? 0) - deadline)).toBeLessThan(1_000);
		}
		const requestsBefore = await Promise.all(
			orders.map(async (o) => (await taskStub(o.task_uuid).getStats())?.requests ?? 0),
		);
		await new Promise((resolve) => setTimeout(resolve, 1_000)); // idle time, measured: nothing may happen in it
		const requestsAfter = await Promise.all(
			orders.map(async (o) => (await taskStub(o.task_uuid).getStats())?.requests ?? 0),
		);
		const idleRequests = requestsAfter.reduce((sum, n, i) => sum + n - (requestsBefore[i] ?? 0), 0);
		const waitingDeliveries = deliveries.filter((d) => d.step_name === "await_payment").length;
		expect(idleRequests).toBe(0);
		expect(waitingDeliveries).toBe(0);

		// An event completes its step inside its own request: when the POST answers, the step is complete
		// and its dependent released (enqueued and owed, its send under way or done).
		const timings: number[] = [];
		for (const order of orders) {
			const started = performance.now();
			const response = await postJson(`/v1/tasks/${order.task_uuid}/events`, {
				name: "payment_confirmed",
				payload: { order_id: order.context.order_id },
			});
			timings.push(performance.now() - started);
			expect(response.status).toBe(200);
			const steps = await stepsByName(order.task_uuid);
			expect(steps.await_payment?.current_state).toBe("complete");
			expect(steps.reserve_inventory?.current_state).not.toBe("pending");
		}
		// Let the orders finish, so that no consumer is still running when the test ends.
		for (const order of orders) {
			await vi.waitFor(
				async () => expect((await taskStub(order.task_uuid).getTask())?.status).toBe("complete"),
				{
					timeout: 15_000,
					interval: 20,
				},
			);
		}
		timings.sort((a, b) => a - b);
		console.info(
			JSON.stringify({
				bench: "waits",
				waiting_tasks: WAITING,
				leftover_outbox_alarm_passes: leftoverPasses,
				object_requests_while_waiting: idleRequests,
				consumer_deliveries_of_waiting_steps: waitingDeliveries,
				event_to_step_complete_ms_p50: Number(timings[Math.floor(timings.length / 2)]?.toFixed(2)),
				event_to_step_complete_ms_max: Number(timings.at(-1)?.toFixed(2)),
			}),
		);
	}, 60_000);
});
