// Waits on the real `wrangler dev`: an order waits for payment_confirmed and completes with the
// event's payload (sent through the CLI's `task signal`), and so does an order whose payment handler
// ends by waiting for the same event; a wait with no event times out as its
// template says; a sleep of 2 s completes after 2 s and not before; a schedule whose run waits is
// skipped (overlap skip) while that run is active.
import { describe, expect, inject, it } from "vitest";
import { seedOrderRequest } from "../../scripts/lib/seed-order";
import { TaskerClient } from "../../src/client";
import { runTasker } from "./run-tasker-cli";

const url = inject("taskerUrl");
const client = new TaskerClient({ baseUrl: url });

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value) || Date.now() > deadline) return value;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

async function stepNamed(taskUuid: string, name: string) {
	const steps = await client.listTaskSteps(taskUuid);
	const step = steps.find((s) => s.name === name);
	if (!step) throw new Error(`no step ${name}`);
	return step;
}

function order(name: string) {
	const { context } = seedOrderRequest();
	return client.createTask(name, {
		context,
		initiator: "e2e:waits",
		sourceSystem: "e2e",
		reason: "waits end to end",
	});
}

describe("waits on wrangler dev", () => {
	it("an order waits for payment_confirmed; the event by the API completes it with the payload", async () => {
		const task = await order("order_awaiting_payment");
		const waiting = await until(
			() => stepNamed(task.taskUuid, "await_payment"),
			(s) => s.currentState === "waiting_for_event",
		);
		expect(waiting.currentState).toBe("waiting_for_event");
		expect((await client.getTask(task.taskUuid)).status).toBe("steps_in_process");

		const payload = { order_id: task.context.order_id, amount: 109.97, provider: "e2e-pay" };
		const signal = await runTasker(
			[
				"task",
				"signal",
				task.taskUuid,
				"payment_confirmed",
				"--payload",
				JSON.stringify(payload),
				"--event-id",
				"pay-1",
				"--json",
			],
			{ TASKER_URL: url },
		);
		expect(signal.code, signal.stderr).toBe(0);
		expect(JSON.parse(signal.stdout)).toMatchObject({ status: "delivered", step_name: "await_payment" });

		const done = await client.waitForTask(task.taskUuid, { timeoutMs: 20_000 });
		expect(done.status).toBe("complete");
		expect((await stepNamed(task.taskUuid, "await_payment")).results?.result).toEqual(payload);
		const again = await client.sendEvent(task.taskUuid, "payment_confirmed", { payload, eventId: "pay-1" });
		expect(again.status).toBe("duplicate");
	}, 60_000);

	it("a handler that ends by waiting: process_payment waits for payment_confirmed; the event by the API completes the order", async () => {
		const task = await order("order_paid_by_callback");
		const waiting = await until(
			() => stepNamed(task.taskUuid, "process_payment"),
			(s) => s.currentState === "waiting_for_event",
		);
		expect(waiting.currentState).toBe("waiting_for_event");
		expect(waiting.attempts).toBe(1);

		const payload = { order_id: task.context.order_id, amount: 109.97, provider_status: "captured" };
		const receipt = await client.sendEvent(task.taskUuid, "payment_confirmed", { payload, eventId: "cb-1" });
		expect(receipt).toMatchObject({ status: "delivered", stepName: "process_payment" });
		const done = await client.waitForTask(task.taskUuid, { timeoutMs: 20_000 });
		expect(done.status).toBe("complete");
		const paid = await stepNamed(task.taskUuid, "process_payment");
		expect(paid.results?.result).toEqual(payload);
		expect(paid.attempts).toBe(1);
		// A late callback (another event id) after the task ended is refused.
		await expect(
			client.sendEvent(task.taskUuid, "payment_confirmed", { payload, eventId: "cb-2" }),
		).rejects.toMatchObject({ status: 409 });
	}, 60_000);

	it("a wait with no event completes with null at its 2 s timeout (on_timeout: complete_with_null)", async () => {
		const task = await order("order_payment_window");
		const done = await client.waitForTask(task.taskUuid, { timeoutMs: 20_000 });
		expect(done.status).toBe("complete");
		const wait = await stepNamed(task.taskUuid, "await_payment");
		expect(wait.results?.result).toBeNull();
		expect(wait.results?.metadata).toMatchObject({ custom: { timed_out: true } });
		const metadata = (wait.results?.metadata ?? {}) as { execution_time_ms?: number };
		expect(metadata.execution_time_ms).toBeGreaterThanOrEqual(2_000);
	}, 30_000);

	it("a sleep of 2 s completes after 2 s and not before", async () => {
		const task = await order("order_follow_up");
		const sleeping = await until(
			() => stepNamed(task.taskUuid, "pause"),
			(s) => s.currentState === "sleeping",
		);
		expect(sleeping.currentState).toBe("sleeping");
		const fellAsleep = Date.parse(sleeping.lastAttemptedAt ?? "");
		// Still asleep a second later.
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect((await stepNamed(task.taskUuid, "pause")).currentState).toBe("sleeping");
		const done = await client.waitForTask(task.taskUuid, { timeoutMs: 20_000 });
		expect(done.status).toBe("complete");
		const pause = await stepNamed(task.taskUuid, "pause");
		expect(Date.parse(pause.completedAt ?? "") - fellAsleep).toBeGreaterThanOrEqual(2_000);
	}, 30_000);

	it("a schedule with overlap skip skips a run while its previous run waits, and starts once it is done", async () => {
		const { context } = seedOrderRequest();
		const schedule = await client.createSchedule({
			name: "order_awaiting_payment",
			cron: "0 0 1 1 *",
			context,
		});
		const first = await client.triggerSchedule(schedule.scheduleId);
		expect(first.state).toBe("started");
		const skipped = await client.triggerSchedule(schedule.scheduleId);
		expect(skipped).toMatchObject({ state: "skipped" });
		expect(skipped.detail).toContain(first.taskUuid ?? "?");

		await until(
			() => stepNamed(first.taskUuid ?? "", "await_payment"),
			(s) => s.currentState === "waiting_for_event",
		);
		await client.sendEvent(first.taskUuid ?? "", "payment_confirmed", {
			payload: { order_id: context.order_id },
		});
		expect((await client.waitForTask(first.taskUuid ?? "", { timeoutMs: 20_000 })).status).toBe("complete");
		const next = await client.triggerSchedule(schedule.scheduleId);
		expect(next.state).toBe("started");
		expect(next.taskUuid).not.toBe(first.taskUuid);
		await client.cancelTask(next.taskUuid ?? "");
		const detail = await client.getSchedule(schedule.scheduleId);
		expect(detail.runs).toMatchObject({ started: 2, skipped: 1 });
		await client.deleteSchedule(schedule.scheduleId);
	}, 60_000);
});
