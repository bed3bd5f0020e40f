import { describe, expect, it } from "vitest";
import { api, fireAlarmsUntil, SEED_ORDER_CONTEXT, stepsByName, submitTask, waitForTask } from "./helpers";

interface StreamMessage {
	type: "snapshot" | "update";
	seq: number;
	since?: number;
	task: { status: string };
	steps?: Array<{ name: string; current_state: string }>;
	transitions?: Array<{ transition_id: number; to_state: string }>;
}

/**
 * Opens the task's stream through the Worker, as a client would, and collects its messages. Waiting is
 * event-driven: `until` settles when a message that passes arrives (or has arrived), with no polling
 * interval and no timeout of its own shorter than the test's, so a slow machine makes the test slower,
 * not red. The listener is in place before `accept()`, so a message sent with the 101 is never missed.
 */
async function subscribe(taskUuid: string, query = "") {
	const response = await api(`/v1/tasks/${taskUuid}/stream${query}`, { headers: { Upgrade: "websocket" } });
	expect(response.status).toBe(101);
	const socket = response.webSocket;
	if (!socket) throw new Error("no socket in the 101");
	const messages: StreamMessage[] = [];
	const waiters: Array<{ test: (m: StreamMessage) => boolean; resolve: () => void }> = [];
	socket.addEventListener("message", (event) => {
		const message = JSON.parse(String(event.data)) as StreamMessage;
		messages.push(message);
		for (const w of waiters.splice(0)) {
			if (w.test(message)) w.resolve();
			else waiters.push(w);
		}
	});
	const until = (test: (m: StreamMessage) => boolean) =>
		messages.some(test) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ test, resolve }));
	socket.accept();
	await until((m) => m.type === "snapshot");
	return { socket, messages, until };
}

describe("GET /v1/tasks/{uuid}/stream", () => {
	it("sends a snapshot, then each change with its new transitions, numbered without a gap, until the task ends", async () => {
		const task = await submitTask("retry_twice", {}, "testing");
		await waitForTask(task.task_uuid, (t) => expect(t.waiting_for_retry_steps).toBe(1), 30_000);
		const { socket, messages, until } = await subscribe(task.task_uuid);
		const [snapshot] = messages;
		expect(snapshot?.type).toBe("snapshot");
		expect(snapshot?.steps?.map((s) => s.name).sort()).toEqual(["after_flaky", "flaky"]);
		expect(snapshot?.transitions?.length).toBe(snapshot?.seq);

		// The two retries are due only when their alarm fires: each brings updates to the subscriber.
		await fireAlarmsUntil(
			task.task_uuid,
			async () => (await stepsByName(task.task_uuid)).after_flaky?.current_state === "complete",
			30_000,
			{ whileIdle: true },
		);
		// The object sends after it answers: the last update may still be on its way when the steps read complete.
		await until((m) => m.task.status === "complete");
		const updates = messages.slice(1);
		// Changes close together share one update: at least one came, each carrying what the last did not.
		expect(updates.length).toBeGreaterThan(0);
		let seq = snapshot?.seq ?? 0;
		for (const update of updates) {
			expect(update.type).toBe("update");
			expect(update.since).toBe(seq);
			expect(update.transitions?.map((t) => t.transition_id)).toEqual(
				Array.from({ length: update.seq - seq }, (_, i) => seq + i + 1),
			);
			seq = update.seq;
		}
		const finalStates = new Map<string, string>();
		for (const m of messages) for (const s of m.steps ?? []) finalStates.set(s.name, s.current_state);
		expect(Object.fromEntries(finalStates)).toEqual({ flaky: "complete", after_flaky: "complete" });
		socket.close(1000, "done");
	}, 90_000);

	it("with view=task, carries the task alone", async () => {
		const task = await submitTask("order_processing", { ...SEED_ORDER_CONTEXT, order_id: "ORD-STREAM-VIEW" });
		await waitForTask(task.task_uuid, (t) => expect(t.status).toBe("complete"), 30_000);
		const { socket, messages } = await subscribe(task.task_uuid, "?view=task");
		expect(messages[0]).toMatchObject({ type: "snapshot", task: { status: "complete" } });
		expect(messages[0]?.steps).toBeUndefined();
		socket.close(1000, "done");
	});

	it("with view=graph, carries each step's place and state and the log without metadata, then what moved", async () => {
		const task = await submitTask("retry_twice", {}, "testing");
		await waitForTask(task.task_uuid, (t) => expect(t.waiting_for_retry_steps).toBe(1), 30_000);
		const { socket, messages, until } = await subscribe(task.task_uuid, "?view=graph");
		const graphKeys = [
			"attempts",
			"current_state",
			"dependencies",
			"error_message",
			"max_attempts",
			"name",
			"step_type",
			"step_uuid",
		];
		const snapshot = messages[0];
		expect(snapshot?.type).toBe("snapshot");
		expect(snapshot?.steps?.map((s) => Object.keys(s).sort())).toEqual([graphKeys, graphKeys]);
		const flaky = snapshot?.steps?.find((s) => s.name === "flaky") as Record<string, unknown> | undefined;
		expect(flaky).toMatchObject({ current_state: "waiting_for_retry", dependencies: [] });
		expect(typeof flaky?.error_message).toBe("string");
		expect(snapshot?.transitions?.length).toBe(snapshot?.seq);
		for (const t of snapshot?.transitions ?? []) expect(t).not.toHaveProperty("metadata");
		await fireAlarmsUntil(
			task.task_uuid,
			async () => (await stepsByName(task.task_uuid)).after_flaky?.current_state === "complete",
			60_000,
			{ whileIdle: true },
		);
		await until((m) => m.task.status === "complete");
		const moved = messages.slice(1).flatMap((m) => m.steps ?? []);
		expect(moved.length).toBeGreaterThan(0);
		for (const s of moved) expect(Object.keys(s).sort()).toEqual(graphKeys);
		expect(moved.at(-1)).toMatchObject({ name: "after_flaky", current_state: "complete" });
		socket.close(1000, "done");
	}, 90_000);

	it("refuses a request that is not an upgrade (426), an unknown task (404) and an unknown view (400)", async () => {
		const task = await submitTask("order_processing", { ...SEED_ORDER_CONTEXT, order_id: "ORD-STREAM-426" });
		const plain = await api(`/v1/tasks/${task.task_uuid}/stream`);
		expect(plain.status).toBe(426);
		expect(await plain.json()).toMatchObject({ error: { code: "UPGRADE_REQUIRED" } });
		const unknown = await api("/v1/tasks/019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b/stream", {
			headers: { Upgrade: "websocket" },
		});
		expect(unknown.status).toBe(404);
		const badView = await api(`/v1/tasks/${task.task_uuid}/stream?view=everything`, {
			headers: { Upgrade: "websocket" },
		});
		expect(badView.status).toBe(400);
		expect(await badView.text()).toContain("view");
	});
});
