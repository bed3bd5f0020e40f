// Dead letters and the DLQ API in workerd: a step message the queue gave up on, fed to the real
// dead-letter consumer, fails its step in the real task object and lands as a DLQ entry in D1; the
// investigation routes read and resolve it. And a task stuck with nobody running its step goes stale
// when the test fires its alarm (never a sleep), with an entry of its own.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { StepMessage } from "../../src/core/step-message";
import { DEAD_LETTER_QUEUE } from "../../src/queue/dead-letter-consumer";
import { api, createSeedOrderWith, fireAlarmsUntil, stepsByName, taskStub } from "./helpers";
import worker from "./test-worker";

/** A queue that accepts every message and delivers none: the test plays the queue's fate itself. */
function swallowingQueue(sent: StepMessage[]): Queue {
	return {
		send: async (body: StepMessage) => {
			sent.push(body);
		},
		sendBatch: async (messages: Iterable<MessageSendRequest<StepMessage>>) => {
			for (const m of messages) sent.push(m.body);
		},
	} as unknown as Queue;
}

async function deadLetters(bodies: unknown[]) {
	const batch = createMessageBatch(
		DEAD_LETTER_QUEUE,
		bodies.map((body, i) => ({ id: `dead-${i}`, timestamp: Date.now(), attempts: 1, body })),
	);
	const ctx = createExecutionContext();
	await worker.queue(batch as MessageBatch<unknown>, env);
	return getQueueResult(batch, ctx);
}

/** tasker_messages_malformed_total of the dead-letter queue, as GET /metrics shows it (0 before any). */
async function malformedDeadLetters(): Promise<number> {
	const text = await (await api("/metrics")).text();
	const line = text
		.split("\n")
		.find((l) => l.startsWith(`tasker_messages_malformed_total{queue="${DEAD_LETTER_QUEUE}"}`));
	return line ? Number(line.split(" ").at(-1)) : 0;
}

/** An order whose root was sent (to a queue that loses it): the message the queue will give up on. */
async function orderWithLostRoot() {
	const sent: StepMessage[] = [];
	const { taskUuid } = await createSeedOrderWith("STEP_QUEUE", swallowingQueue(sent));
	const root = sent.find((m) => m.step_name === "validate_order");
	if (!root) throw new Error("the root was not sent");
	return { taskUuid, root };
}

async function json(path: string, init?: RequestInit) {
	const response = await api(path, init);
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const patch = (entryUuid: string, body: unknown) =>
	json(`/v1/dlq/entry/${entryUuid}`, {
		method: "PATCH",
		headers: { "content-type": "application/json" },
		body: JSON.stringify(body),
	});

/** The task's DLQ entry once its task object's push has landed in D1. */
function entryOf(taskUuid: string) {
	return vi.waitFor(
		async () => {
			const { status, body } = await json(`/v1/dlq/task/${taskUuid}`);
			if (status !== 200) throw new Error(`no entry yet (${status})`);
			return body;
		},
		{ timeout: 5_000, interval: 10 },
	);
}

describe("the dead-letter consumer", () => {
	it("turns a dead letter into a permanent step failure and a DLQ entry; a duplicate and garbage are acked and dropped", async () => {
		const { taskUuid, root } = await orderWithLostRoot();
		const malformedBefore = await malformedDeadLetters();
		const result = await deadLetters([root, root, { not: "a step message" }]);
		// The garbage is counted where every isolate's count adds up: GET /metrics.
		expect(await malformedDeadLetters()).toBe(malformedBefore + 1);
		expect(result.explicitAcks.sort()).toEqual(["dead-0", "dead-1", "dead-2"]);
		expect(result.retryMessages).toEqual([]);

		const task = await taskStub(taskUuid).getTask();
		expect(task?.status).toBe("error");
		expect((await stepsByName(taskUuid)).validate_order).toMatchObject({
			current_state: "error",
			attempts: 1,
			last_error: { error_type: "delivery_exhausted", error_code: "DELIVERY_EXHAUSTED", retryable: false },
		});
		// Fenced by attempt: the second copy found the task finished, and was counted.
		expect(await taskStub(taskUuid).getStats()).toMatchObject({ deadLetters: 1, deadLettersDropped: 1 });

		const entry = await entryOf(taskUuid);
		expect(entry).toMatchObject({
			task_uuid: taskUuid,
			namespace: "default",
			task_name: "order_processing",
			dlq_reason: "worker_unavailable",
			original_state: "steps_in_process",
			resolution_status: "pending",
			metadata: { step_name: "validate_order", attempt: 1 },
			task_snapshot: { status: "error", total_steps: 4 },
		});
	});

	it("retries a dead letter whose task object cannot be reached, rather than lose it", async () => {
		const { root } = await orderWithLostRoot();
		const batch = createMessageBatch(DEAD_LETTER_QUEUE, [
			{ id: "dead-x", timestamp: Date.now(), attempts: 1, body: root },
		]);
		const ctx = createExecutionContext();
		const broken = {
			...env,
			TASKS: {
				idFromName: () => ({}),
				get: () => ({ recordDeadLetter: () => Promise.reject(new Error("overloaded")) }),
			},
		};
		await worker.queue(batch as MessageBatch<unknown>, broken as unknown as Env);
		const result = await getQueueResult(batch, ctx);
		expect(result.retryMessages).toEqual([{ msgId: "dead-x" }]);
		expect(result.explicitAcks).toEqual([]);
	});
});

describe("the DLQ API", () => {
	it("lists, reads, resolves (once) and counts entries", async () => {
		const { taskUuid, root } = await orderWithLostRoot();
		await deadLetters([root]);
		const entry = await entryOf(taskUuid);
		const entryUuid = String(entry.dlq_entry_uuid);

		const pending = await json("/v1/dlq?resolution_status=pending&limit=200");
		expect(pending.status).toBe(200);
		const listed = (pending.body.entries as Array<Record<string, unknown>>).find(
			(e) => e.dlq_entry_uuid === entryUuid,
		);
		expect(listed).toMatchObject({ task_uuid: taskUuid, resolution_status: "pending" });
		expect(listed).not.toHaveProperty("task_snapshot");
		expect(pending.body).toMatchObject({ limit: 200, offset: 0 });

		const resolved = await patch(entryUuid, {
			resolution_status: "manually_resolved",
			resolution_notes: "the queue was misconfigured; order re-submitted",
			resolved_by: "ops@example.com",
		});
		expect(resolved.status).toBe(200);
		expect(resolved.body).toMatchObject({
			resolution_status: "manually_resolved",
			resolved_by: "ops@example.com",
			resolved_at: expect.any(String),
		});
		// A resolution is final; an unknown entry is a 404; a bad body or query a 400.
		expect((await patch(entryUuid, { resolution_status: "cancelled" })).status).toBe(409);
		expect((await patch(entryUuid, { resolution_status: "pending" })).status).toBe(409);
		expect((await patch("019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b", { resolution_notes: "x" })).status).toBe(404);
		const bad = await patch(entryUuid, { resolution_status: "fixed" });
		expect(bad).toMatchObject({ status: 400, body: { error: { code: "BAD_REQUEST" } } });
		expect(String((bad.body.error as { message: string }).message)).toContain("resolution_status");
		expect((await patch(entryUuid, {})).status).toBe(400);
		expect((await patch("nope", { resolution_notes: "x" })).status).toBe(400);
		expect((await json("/v1/dlq?resolution_status=open")).status).toBe(400);
		expect((await json("/v1/dlq?limit=0")).status).toBe(400);
		expect((await json("/v1/dlq?page=2")).status).toBe(400);
		expect((await json("/v1/dlq/task/019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b")).status).toBe(404);

		const stats = await json("/v1/dlq/stats");
		expect(stats.status).toBe(200);
		const byReason = stats.body.by_reason as Array<Record<string, unknown>>;
		expect(byReason.map((r) => r.dlq_reason)).toEqual(["staleness_timeout", "worker_unavailable"]);
		const worker = byReason.find((r) => r.dlq_reason === "worker_unavailable");
		expect(Number(worker?.manually_resolved)).toBeGreaterThanOrEqual(1);
		expect(worker?.avg_resolution_time_minutes).toEqual(expect.any(Number));
		expect(worker?.oldest_entry).toEqual(expect.any(String));

		// The DLQ only tracks: the task and its step are as the dead letter left them.
		expect((await stepsByName(taskUuid)).validate_order?.current_state).toBe("error");
	});
});

describe("a task nobody works on", () => {
	it("goes stale when its alarm fires at the threshold: error, the step failed, a staleness DLQ entry", async () => {
		const { taskUuid, root } = await orderWithLostRoot();
		const task = taskStub(taskUuid);
		const passes = await fireAlarmsUntil(
			taskUuid,
			async () => (await task.getTask())?.status === "error",
			30_000,
		);
		// Each pass acts as of its scheduled time: the lost root was sent again once per claim window.
		expect(passes).toBeLessThan(40);
		expect((await stepsByName(taskUuid)).validate_order).toMatchObject({
			current_state: "error",
			last_error: { error_type: "staleness_timeout", error_code: "TASK_STALE" },
		});
		const entry = await entryOf(taskUuid);
		expect(entry).toMatchObject({
			dlq_reason: "staleness_timeout",
			original_state: "steps_in_process",
			metadata: { threshold: "max_steps_in_process_minutes", threshold_minutes: 30 },
		});
		// The lost message turns up at last: dropped, the task stays as it ended.
		expect(await task.claim(root.step_uuid, root.attempt)).toEqual({
			kind: "dropped",
			reason: "task_finished",
		});
		const audit = (await task.getTaskAudit()) ?? [];
		expect(audit.at(-1)).toMatchObject({ from_state: "steps_in_process", to_state: "error" });
	});
});
