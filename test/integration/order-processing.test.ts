// The seed's order, through the real chain: HTTP → task object → alarm → queue → consumer → RPC back.
import { describe, expect, it } from "vitest";
import {
	api,
	fireAlarm,
	SEED_ORDER_CONTEXT,
	stepsByName,
	submitTask,
	taskStub,
	waitForTask,
} from "./helpers";

describe("the seed's order_processing workflow", () => {
	it("runs to complete with the correct total, the two branches dispatched in one batch", async () => {
		const created = await submitTask("order_processing", SEED_ORDER_CONTEXT);
		expect(created).toMatchObject({
			name: "order_processing",
			namespace: "default",
			version: "1.0.0",
			total_steps: 4,
		});
		// The roots are handed to the queue before the POST answers; the consumer may already be at work.
		expect(["enqueuing_steps", "steps_in_process"]).toContain(created.status);

		// Firing the alarm changes nothing here (it is the fallback); results dispatch what they make ready.
		await fireAlarm(created.task_uuid);
		const done = await waitForTask(created.task_uuid, (task) => expect(task.status).toBe("complete"));
		expect(done).toMatchObject({
			execution_status: "all_complete",
			completion_percentage: 100,
			completed_steps: 4,
			failed_steps: 0,
		});
		expect(done.completed_at).not.toBeNull();

		const steps = await stepsByName(created.task_uuid);
		expect(steps.validate_order?.results?.result).toEqual({ valid: true, total: 109.97, item_count: 2 });
		expect(steps.charge_payment?.results?.result).toMatchObject({ charged: true, amount: 109.97 });
		expect(steps.notify_customer?.results?.result).toEqual({ notified: true, email: "customer@example.com" });
		for (const step of Object.values(steps))
			expect(step).toMatchObject({ current_state: "complete", attempts: 1 });

		// validate_order alone, then reserve_inventory and notify_customer together: 2 sendBatch calls
		// for 3 messages. charge_payment, the lone successor of reserve_inventory, is handed straight to
		// the consumer that reported reserve_inventory (no queue hop).
		expect(await taskStub(created.task_uuid).getStats()).toMatchObject({
			sendBatches: 2,
			messagesSent: 3,
			resultsApplied: 4,
			resultsDropped: 0,
		});
		const chargeAudit = await taskStub(created.task_uuid).getStepAudit(steps.charge_payment?.step_uuid ?? "");
		expect(chargeAudit?.[0]).toMatchObject({
			from_state: "pending",
			to_state: "in_progress",
			metadata: { handed_over: true },
		});
		const reserveEnqueued = (
			await taskStub(created.task_uuid).getStepAudit(steps.reserve_inventory?.step_uuid ?? "")
		)?.[0];
		const notifyEnqueued = (
			await taskStub(created.task_uuid).getStepAudit(steps.notify_customer?.step_uuid ?? "")
		)?.[0];
		expect(reserveEnqueued?.to_state).toBe("enqueued");
		expect(notifyEnqueued?.recorded_at).toBe(reserveEnqueued?.recorded_at);
	});

	it("serves the task, its steps, one step and its audit over HTTP", async () => {
		const created = await submitTask("order_processing", SEED_ORDER_CONTEXT);
		await fireAlarm(created.task_uuid);
		await waitForTask(created.task_uuid, (task) => expect(task.status).toBe("complete"));

		const task = await (await api(`/v1/tasks/${created.task_uuid}`)).json();
		expect(task).toMatchObject({
			task_uuid: created.task_uuid,
			status: "complete",
			context: SEED_ORDER_CONTEXT,
		});

		const steps = (await (await api(`/v1/tasks/${created.task_uuid}/workflow_steps`)).json()) as Array<{
			name: string;
			step_uuid: string;
		}>;
		expect(steps.map((s) => s.name)).toEqual([
			"validate_order",
			"reserve_inventory",
			"notify_customer",
			"charge_payment",
		]);

		const charge = steps[3] as { step_uuid: string };
		const step = await (
			await api(`/v1/tasks/${created.task_uuid}/workflow_steps/${charge.step_uuid}`)
		).json();
		expect(step).toMatchObject({
			name: "charge_payment",
			current_state: "complete",
			dependencies: ["reserve_inventory"],
			dependencies_satisfied: true,
			attempts: 1,
			max_attempts: 3,
			last_error: null,
			next_retry_at: null,
		});

		const audit = (await (
			await api(`/v1/tasks/${created.task_uuid}/workflow_steps/${charge.step_uuid}/audit`)
		).json()) as Array<{
			from_state: string;
			to_state: string;
		}>;
		// charge_payment is the lone successor of reserve_inventory: handed to its consumer, never queued.
		expect(audit.map((t) => `${t.from_state}->${t.to_state}`)).toEqual([
			"pending->in_progress",
			"in_progress->complete",
		]);
	});
});

describe("GET /v1/tasks/{uuid}?wait_seconds=N", () => {
	it("answers as soon as the task is finished", async () => {
		const created = await submitTask("order_processing", SEED_ORDER_CONTEXT);
		const waiting = api(`/v1/tasks/${created.task_uuid}?wait_seconds=10`);
		await fireAlarm(created.task_uuid);
		const started = Date.now();
		const response = await waiting;
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ status: "complete", completed_steps: 4 });
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it("answers with the current state when the wait runs out first", async () => {
		const { task_uuid } = await submitTask("retry_twice", {}, "testing");
		await fireAlarm(task_uuid);
		await waitForTask(task_uuid, (task) => expect(task.status).toBe("waiting_for_retry"));
		const response = await api(`/v1/tasks/${task_uuid}?wait_seconds=0.05`);
		expect(await response.json()).toMatchObject({ status: "waiting_for_retry" });
	});

	it("rejects a wait that is not a number from 0 to 60", async () => {
		for (const bad of ["abc", "-1", "61", ""]) {
			const response = await api(`/v1/tasks/01a213c4-5220-71db-b60e-000000000000?wait_seconds=${bad}`);
			expect(response.status).toBe(400);
			expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
				/^wait_seconds: expected a number from 0 to 60, got /,
			);
		}
	});
});

describe("the engine's operation counters", () => {
	it("count object requests, SQLite rows and queue messages for a task", async () => {
		const created = await submitTask("order_processing", SEED_ORDER_CONTEXT);
		await fireAlarm(created.task_uuid);
		await waitForTask(created.task_uuid, (task) => expect(task.status).toBe("complete"));
		const stats = await taskStub(created.task_uuid).getStats();
		// create, an alarm pass, a report per step, a claim per step that came through the queue (3).
		expect(stats?.requests).toBeGreaterThanOrEqual(1 + 1 + 4 + 3);
		expect(stats?.rowsWritten).toBeGreaterThan(0);
		expect(stats?.rowsRead).toBeGreaterThan(0);
		expect(stats?.messagesSent).toBe(3);
	});
});
