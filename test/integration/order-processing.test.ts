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
	it("runs to complete with the correct total, the two branches dispatched together", async () => {
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

		// validate_order goes through the queue (one sendBatch at creation). Recording its result makes
		// reserve_inventory and notify_customer ready: both are handed, in that same transaction, to the
		// consumer that reported it, which runs them side by side; charge_payment follows reserve_inventory
		// the same way. One message in all.
		const task = taskStub(created.task_uuid);
		expect(await task.getStats()).toMatchObject({
			sendBatches: 1,
			messagesSent: 1,
			resultsApplied: 4,
			resultsDropped: 0,
		});
		const started = async (name: string) => (await task.getStepAudit(steps[name]?.step_uuid ?? ""))?.[0];
		const [reserve, notify] = [await started("reserve_inventory"), await started("notify_customer")];
		for (const first of [reserve, notify]) {
			expect(first).toMatchObject({
				from_state: "pending",
				to_state: "in_progress",
				metadata: { handed_over: true },
			});
		}
		expect(notify?.recorded_at).toBe(reserve?.recorded_at);
		expect(Math.abs((notify?.transition_id ?? 0) - (reserve?.transition_id ?? 0))).toBe(1);
	});

	it("a fan-out wider than a consumer may take goes through the queue, in one sendBatch", async () => {
		const { task_uuid } = await submitTask("wide_fan_out", {}, "testing");
		await waitForTask(task_uuid, (task) => expect(task.status).toBe("complete"));
		// root at creation, then the 10 leaves together; the join is handed to the last leaf's consumer.
		expect(await taskStub(task_uuid).getStats()).toMatchObject({
			sendBatches: 2,
			messagesSent: 11,
			resultsApplied: 12,
		});
		const join = (await stepsByName(task_uuid)).join;
		expect(join?.results?.result).toMatchObject({
			dependencies: [
				"leaf_0",
				"leaf_1",
				"leaf_2",
				"leaf_3",
				"leaf_4",
				"leaf_5",
				"leaf_6",
				"leaf_7",
				"leaf_8",
				"leaf_9",
				"root",
			],
		});
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

describe("dispatch in batches", () => {
	it("a fan-out of 150 is sent in sendBatch calls of at most 100 messages", async () => {
		const { task_uuid } = await submitTask("fan_out_150", {}, "testing");
		await waitForTask(task_uuid, (task) => expect(task.status).toBe("complete"), 20_000);
		// The root alone at creation; then 150 leaves made ready together: 100 + 50.
		expect(await taskStub(task_uuid).getStats()).toMatchObject({
			sendBatches: 3,
			messagesSent: 151,
			resultsApplied: 152,
			resultsDropped: 0,
		});
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
		for (const bad of ["abc", "-1", "61", "", "0x10", "1e1", "%205", "Infinity"]) {
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
		// create, a report per step, a claim for the one step that came through the queue.
		expect(stats?.requests).toBeGreaterThanOrEqual(1 + 4 + 1);
		expect(stats?.rowsWritten).toBeGreaterThan(0);
		expect(stats?.rowsRead).toBeGreaterThan(0);
		expect(stats?.messagesSent).toBe(1);
	});
});
