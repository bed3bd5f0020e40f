// The wider template format in workerd: input_schema refused at POST /v1/tasks with nothing created;
// domain events recorded once with the result, sent to DOMAIN_EVENTS (and re-sent by the alarm after
// a failed send), readable by route; result_schema and handler.method in the consumer.
import { listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { v7 as uuidv7 } from "uuid";
import { describe, expect, it, vi } from "vitest";
import type { TaskObject } from "../../durable-objects/task-object";
import type { DomainEventMessage } from "../../src/core/domain-events";
import type { TaskEventView } from "../../src/http/task-event-schemas";
import * as fixtures from "../generated/fixture-registry";
import {
	api,
	fireAlarm,
	fireAlarmsUntil,
	postJson,
	rawStub,
	stepsByName,
	submitTask,
	taskStub,
	unavailable,
	waitForTask,
} from "./helpers";
import { domainEventsReceived } from "./test-worker";

const ORDER = { order_id: "ORD-1", amount: 25.5 };

async function events(taskUuid: string): Promise<TaskEventView[]> {
	const response = await api(`/v1/tasks/${taskUuid}/events`);
	expect(response.status).toBe(200);
	return (await response.json()) as TaskEventView[];
}

/** Runs an order_events task to completion: the charge fails once, its retry is fired, refund runs. */
async function completeOrder(taskUuid: string): Promise<void> {
	await waitForTask(taskUuid, (task) => expect(task.status).toBe("waiting_for_retry"));
	// Only until the retry has started: firing alarms past it would fire its deadline early too.
	await fireAlarmsUntil(taskUuid, async () => (await stepsByName(taskUuid)).charge?.attempts === 2);
	await waitForTask(taskUuid, (task) => expect(task.status).toBe("complete"));
}

describe("input_schema at POST /v1/tasks", () => {
	it("refuses a context that breaks it with a 400 naming each path and rule, and creates nothing", async () => {
		const tasksBefore = (await listDurableObjectIds(env.TASKS)).length;
		const response = await postJson("/v1/tasks", {
			name: "order_events",
			namespace: "testing",
			context: { amount: 0, extra: true },
			initiator: "test",
			source_system: "vitest",
			reason: "schema",
		});
		expect(response.status).toBe(400);
		const body = (await response.json()) as { error: { code: string; message: string } };
		expect(body.error.code).toBe("BAD_REQUEST");
		expect(body.error.message).toContain(
			"context does not match the input_schema of task template testing/order_events version 1.0.0",
		);
		expect(body.error.message).toContain("context.order_id: required but missing (required)");
		expect(body.error.message).toContain("context.amount: 0 is less than 0.01. (minimum)");
		expect((await listDurableObjectIds(env.TASKS)).length).toBe(tasksBefore);
	});

	it("accepts a context that matches it", async () => {
		const task = await submitTask("order_events", ORDER, "testing");
		expect(task.status).not.toBe("error");
	});
});

describe("domain events", () => {
	it("publishes each declared event whose condition matches, once, in order, and a subscriber receives them", async () => {
		const { task_uuid } = await submitTask("order_events", { ...ORDER, order_id: "ORD-EV" }, "testing");
		await completeOrder(task_uuid);
		const task = await taskStub(task_uuid).getTask();
		const steps = await stepsByName(task_uuid);

		const listed = await waitForSentEvents(task_uuid, 4);
		expect(listed.map((e) => e.event.event_name)).toEqual([
			"payment.retrying",
			"payment.audited",
			"payment.processed",
			"payment.audited",
		]);
		const ids = listed.map((e) => e.event.event_id);
		expect(new Set(ids).size).toBe(4);
		const processed = listed[2]?.event as DomainEventMessage;
		expect(processed).toMatchObject({
			event_version: "1.0",
			delivery_mode: "durable",
			payload: {
				payload: { order_id: "ORD-EV", amount: 25.5, charged_on_attempt: 2 },
				execution_result: { success: true, step_state: "complete", attempt: 2, error: null },
			},
			metadata: {
				task_uuid,
				step_uuid: steps.charge?.step_uuid,
				step_name: "charge",
				namespace: "testing",
				task_name: "order_events",
				correlation_id: task?.correlation_id,
				fired_by: "OrderEventsHandler",
			},
		});
		expect(listed[0]?.event).toMatchObject({
			event_name: "payment.retrying",
			payload: { execution_result: { success: false, step_state: "waiting_for_retry", attempt: 1 } },
		});
		expect(listed[1]?.event.delivery_mode).toBe("fast");
		// The payload that broke its event's schema was not published, only counted.
		expect((await taskStub(task_uuid).getStats())?.domainEventsRejected).toBe(1);
		expect((await taskStub(task_uuid).getStats())?.domainEventsRecorded).toBe(4);

		// The subscriber got each event (at least once: duplicates carry the same event_id).
		await waitUntil(() => {
			const received = new Set(
				domainEventsReceived
					.map((e) => e as DomainEventMessage)
					.filter((e) => e.metadata.task_uuid === task_uuid)
					.map((e) => e.event_id),
			);
			return ids.every((id) => received.has(id));
		});
	});

	it("records them once when the same result is reported again", async () => {
		const { task_uuid } = await submitTask("order_events", { ...ORDER, order_id: "ORD-DUP" }, "testing");
		await completeOrder(task_uuid);
		const before = await waitForSentEvents(task_uuid, 4);
		const charge = (await stepsByName(task_uuid)).charge;
		const reply = await taskStub(task_uuid).report(charge?.step_uuid ?? "", 2, {
			success: true,
			result: { order_id: "ORD-DUP", amount: 25.5 },
			metadata: {},
			execution_time_ms: 1,
		});
		expect(reply.kind).toBe("dropped");
		expect((await events(task_uuid)).map((e) => e.event.event_id)).toEqual(
			before.map((e) => e.event.event_id),
		);
		expect((await taskStub(task_uuid).getStats())?.domainEventsRecorded).toBe(4);
	});

	it("keeps an event whose send failed and sends it again on the alarm, never failing the step", async () => {
		const taskUuid = uuidv7();
		const stub = rawStub(taskUuid);
		const template = fixtures.templates.find((t) => t.name === "order_events");
		if (!template) throw new Error("order_events is not registered");
		type Swappable = { env: Env };
		const original = await runInDurableObject(stub, async (instance: TaskObject) => {
			const swappable = instance as unknown as Swappable;
			const real = swappable.env.DOMAIN_EVENTS;
			swappable.env = { ...swappable.env, DOMAIN_EVENTS: unavailable<Queue>("events queue down") };
			await instance.create({
				taskUuid,
				template: { ...template, environment: "development" },
				context: { ...ORDER, order_id: "ORD-OUTAGE" },
				initiator: "test",
				sourceSystem: "vitest",
				reason: "events queue outage",
				tags: [],
				priority: 0,
				correlationId: taskUuid,
				parentCorrelationId: null,
			});
			return real;
		});
		// The charge's first attempt failed: its two events are recorded, their send failed, the step
		// went on as if nothing happened (waiting for its retry).
		await waitForTask(taskUuid, (task) => expect(task.status).toBe("waiting_for_retry"));
		await vi.waitFor(async () =>
			expect((await events(taskUuid))[1]?.delivery.send_attempts).toBeGreaterThan(0),
		);
		const pending = await events(taskUuid);
		expect(pending.map((e) => e.event.event_name)).toEqual(["payment.retrying", "payment.audited"]);
		expect(pending.every((e) => e.delivery.status === "pending")).toBe(true);

		await runInDurableObject(stub, (instance: TaskObject) => {
			const swappable = instance as unknown as Swappable;
			swappable.env = { ...swappable.env, DOMAIN_EVENTS: original };
		});
		await fireAlarmsUntil(taskUuid, async () =>
			(await events(taskUuid)).every((e) => e.delivery.status === "sent"),
		);
		const sent = await events(taskUuid);
		expect(sent.map((e) => e.event.event_id)).toEqual(pending.map((e) => e.event.event_id));
		expect(sent.every((e) => e.delivery.sent_at !== null)).toBe(true);

		await fireAlarmsUntil(taskUuid, async () => (await stepsByName(taskUuid)).charge?.attempts === 2);
		await waitForTask(taskUuid, (task) => expect(task.status).toBe("complete"));
		await waitForSentEvents(taskUuid, 4);
	});

	it("lists none for a task whose steps publish none, and 404s for an unknown task", async () => {
		const { task_uuid } = await submitTask("retry_twice", {}, "testing");
		expect(await events(task_uuid)).toEqual([]);
		const unknown = await api(`/v1/tasks/${uuidv7()}/events`);
		expect(unknown.status).toBe(404);
	});
});

describe("handler.method and result_schema", () => {
	it("runs the method the template names instead of call", async () => {
		const { task_uuid } = await submitTask("order_events", { ...ORDER, order_id: "ORD-M" }, "testing");
		await completeOrder(task_uuid);
		expect((await stepsByName(task_uuid)).refund?.results?.result).toEqual({
			refunded: true,
			method: "refund",
			step: "refund",
		});
	});

	it("fails an attempt whose result breaks result_schema for good, naming the path and rule", async () => {
		const { task_uuid } = await submitTask("result_schema_mismatch", {}, "testing");
		await fireAlarm(task_uuid);
		await waitForTask(task_uuid, (task) => expect(task.status).toBe("error"));
		const shaped = (await stepsByName(task_uuid)).shaped;
		expect(shaped).toMatchObject({ current_state: "error", attempts: 1 });
		expect(shaped?.last_error).toMatchObject({
			error_type: "invalid_result",
			error_code: "RESULT_SCHEMA_MISMATCH",
			retryable: false,
		});
		expect(shaped?.last_error?.message).toContain('amount: Instance type "string" is invalid');
	});
});

async function waitUntil(done: () => boolean, timeout = 10_000): Promise<void> {
	await vi.waitFor(
		() => {
			if (!done()) throw new Error("not yet");
		},
		{ timeout, interval: 5 },
	);
}

/** The task's events once `count` of them are recorded and all sent. */
async function waitForSentEvents(taskUuid: string, count: number): Promise<TaskEventView[]> {
	let listed: TaskEventView[] = [];
	await vi.waitFor(
		async () => {
			listed = await events(taskUuid);
			if (listed.length !== count || listed.some((e) => e.delivery.status !== "sent")) {
				throw new Error(`${listed.length} event(s), not all sent yet`);
			}
		},
		{ timeout: 10_000, interval: 5 },
	);
	return listed;
}
