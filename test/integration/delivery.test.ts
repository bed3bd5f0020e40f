// At-least-once delivery, exactly-once results: the consumer, fed duplicated, stale and malformed
// messages directly, acks them all and the task's results do not change.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { StepMessage } from "../../src/core/step-message";
import { fireAlarm, SEED_ORDER_CONTEXT, stepsByName, submitTask, taskStub, waitForTask } from "./helpers";
import worker from "./test-worker";

async function deliver(bodies: unknown[]) {
	const batch = createMessageBatch(
		"tasker-steps",
		bodies.map((body, i) => ({ id: `msg-${i}`, timestamp: Date.now(), attempts: 1, body })),
	);
	const ctx = createExecutionContext();
	await worker.queue(batch as MessageBatch<unknown>, env);
	return getQueueResult(batch, ctx);
}

async function completedOrder() {
	const { task_uuid } = await submitTask("order_processing", SEED_ORDER_CONTEXT);
	await fireAlarm(task_uuid);
	await waitForTask(task_uuid, (task) => expect(task.status).toBe("complete"));
	return task_uuid;
}

describe("duplicate deliveries", () => {
	it("a finished step delivered twice more is acked, its handler not run, its result unchanged", async () => {
		const taskUuid = await completedOrder();
		const before = await stepsByName(taskUuid);
		const statsBefore = await taskStub(taskUuid).getStats();
		const charge = before.charge_payment;
		const message: StepMessage = {
			v: 1,
			task_uuid: taskUuid,
			step_uuid: charge?.step_uuid ?? "",
			step_name: "charge_payment",
			namespace: "default",
			attempt: 1,
		};

		const result = await deliver([message, message]);
		expect(result.explicitAcks.sort()).toEqual(["msg-0", "msg-1"]);
		expect(result.retryMessages).toEqual([]);
		expect(await stepsByName(taskUuid)).toEqual(before);
		// Refusing them still costs object requests and row reads; no engine counter moves but claimsDropped.
		const { requests: _r, rowsRead: _rr, rowsWritten: _rw, ...engineBefore } = statsBefore ?? ({} as never);
		const {
			requests: _r2,
			rowsRead: _rr2,
			rowsWritten: _rw2,
			...engineAfter
		} = (await taskStub(taskUuid).getStats()) ?? ({} as never);
		expect(engineAfter).toEqual({ ...engineBefore, claimsDropped: engineBefore.claimsDropped + 2 });
	});

	it("a duplicate or stale result reported straight to the task object is dropped", async () => {
		const taskUuid = await completedOrder();
		const steps = await stepsByName(taskUuid);
		const stepUuid = steps.validate_order?.step_uuid ?? "";
		const late = { success: true as const, result: { total: 0 }, metadata: {}, execution_time_ms: 1 };
		expect(await taskStub(taskUuid).report(stepUuid, 1, late)).toEqual({
			kind: "dropped",
			reason: "task_finished",
		});
		expect(await taskStub(taskUuid).report(stepUuid, 7, late)).toMatchObject({ kind: "dropped" });
		expect((await stepsByName(taskUuid)).validate_order?.results?.result).toEqual({
			valid: true,
			total: 109.97,
			item_count: 2,
		});
	});
});

describe("malformed messages", () => {
	it("are acked and logged without failing the good messages of their batch", async () => {
		const { task_uuid } = await submitTask("order_processing", SEED_ORDER_CONTEXT);
		// Deliver the root's dispatch ourselves, beside garbage, instead of letting the alarm send it.
		const steps = await stepsByName(task_uuid);
		const good: StepMessage = {
			v: 1,
			task_uuid,
			step_uuid: steps.validate_order?.step_uuid ?? "",
			step_name: "validate_order",
			namespace: "default",
			attempt: 1,
		};
		const result = await deliver(["not an object", { v: 99 }, { ...good, attempt: "one" }, good]);
		expect(result.explicitAcks.sort()).toEqual(["msg-0", "msg-1", "msg-2", "msg-3"]);
		expect(result.retryMessages).toEqual([]);
		expect((await stepsByName(task_uuid)).validate_order?.current_state).toBe("complete");
		// The rest of the order goes on through the real queue: let it finish before the test ends.
		await waitForTask(task_uuid, (task) => expect(task.status).toBe("complete"));
	});

	it("a message for a task that does not exist is acked and creates nothing", async () => {
		const ghost = "01a213c4-5220-71db-b60e-000000000000";
		const result = await deliver([
			{ v: 1, task_uuid: ghost, step_uuid: ghost, step_name: "x", namespace: "default", attempt: 1 },
		]);
		expect(result.explicitAcks).toEqual(["msg-0"]);
		expect(await taskStub(ghost).getTask()).toBeNull();
	});
});
