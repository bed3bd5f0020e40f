// At-least-once delivery, exactly-once results: the consumer, fed duplicated, stale and malformed
// messages directly, acks them all and the task's results do not change.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { StepMessage } from "../../src/core/step-message";
import {
	api,
	fireAlarm,
	SEED_ORDER_CONTEXT,
	stepsByName,
	submitTask,
	taskStub,
	waitForTask,
} from "./helpers";
import worker from "./test-worker";

async function deliver(bodies: unknown[], workerEnv: Env = env) {
	const batch = createMessageBatch(
		"tasker-steps",
		bodies.map((body, i) => ({ id: `msg-${i}`, timestamp: Date.now(), attempts: 1, body })),
	);
	const ctx = createExecutionContext();
	await worker.queue(batch as MessageBatch<unknown>, workerEnv);
	return getQueueResult(batch, ctx);
}

/** tasker_messages_malformed_total of the default queue, as GET /metrics shows it (0 before any). */
async function malformedCount(): Promise<number> {
	const text = await (await api("/metrics")).text();
	const line = text
		.split("\n")
		.find((l) => l.startsWith('tasker_messages_malformed_total{queue="tasker-steps"}'));
	return line ? Number(line.split(" ").pop()) : 0;
}

/** The dispatch message of a task's root step, built here instead of being sent by the task object. */
async function rootMessage(taskUuid: string, stepName: string, namespace: string): Promise<StepMessage> {
	const step = (await stepsByName(taskUuid))[stepName];
	return {
		v: 1,
		task_uuid: taskUuid,
		step_uuid: step?.step_uuid ?? "",
		step_name: stepName,
		namespace,
		attempt: 1,
	};
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

	it("are counted in the fleet-wide metrics (D1), one by one", async () => {
		const before = await malformedCount();
		const result = await deliver(["garbage", { v: 1 }, null]);
		expect(result.explicitAcks.sort()).toEqual(["msg-0", "msg-1", "msg-2"]);
		expect(await malformedCount()).toBe(before + 3);
	});

	it("are still acked, and the batch still succeeds, when D1 cannot count them", async () => {
		const down = new Error("D1_ERROR: database unavailable");
		const brokenD1 = {
			prepare: () => {
				throw down;
			},
			batch: () => Promise.reject(down),
		} as unknown as D1Database;
		const before = await malformedCount();
		const result = await deliver(["garbage", { v: 99 }], { ...env, TASK_INDEX: brokenD1 });
		expect(result.explicitAcks.sort()).toEqual(["msg-0", "msg-1"]);
		expect(result.retryMessages).toEqual([]);
		expect(result.outcome).toBe("ok");
		expect(await malformedCount()).toBe(before);
	});

	it("a mixed batch: each message is handled on its own, none fails another", async () => {
		const order = await submitTask("order_processing", SEED_ORDER_CONTEXT);
		const buggy = await submitTask("buggy_handler", {}, "testing");
		const good = await rootMessage(order.task_uuid, "validate_order", "default");
		const poison = await rootMessage(buggy.task_uuid, "explode", "testing");
		const ghost = "01a213c4-5220-71db-b60e-0000000000aa";
		const before = await malformedCount();

		const result = await deliver([
			good,
			"not an object",
			poison,
			{ v: 1, task_uuid: ghost, step_uuid: ghost, step_name: "x", namespace: "default", attempt: 1 },
			{ ...good, attempt: -1 },
		]);

		expect(result.outcome).toBe("ok");
		expect(result.explicitAcks.sort()).toEqual(["msg-0", "msg-1", "msg-2", "msg-3", "msg-4"]);
		expect(result.retryMessages).toEqual([]);
		expect(await malformedCount()).toBe(before + 2);
		// The good step is recorded; the poison step failed for good with its thrown error, and only it.
		expect((await stepsByName(order.task_uuid)).validate_order?.current_state).toBe("complete");
		const explode = (await stepsByName(buggy.task_uuid)).explode;
		expect(explode?.current_state).toBe("error");
		expect(explode?.last_error).toMatchObject({
			error_type: "handler_error",
			name: "TypeError",
			message: expect.stringContaining("reading 'total'"),
		});
		await waitForTask(buggy.task_uuid, (task) => expect(task.status).toBe("error"));
		expect(await taskStub(ghost).getTask()).toBeNull();
		await waitForTask(order.task_uuid, (task) => expect(task.status).toBe("complete"));
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
