import { describe, expect, it, vi } from "vitest";
import { api, fireAlarmsUntil, SEED_ORDER_CONTEXT, stepsByName, submitTask, waitForTask } from "./helpers";

interface StreamMessage {
	type: "snapshot" | "update";
	seq: number;
	since?: number;
	task: { status: string };
	steps?: Array<{ name: string; current_state: string }>;
	transitions?: Array<{ transition_id: number; to_state: string }>;
}

/** Opens the task's stream through the Worker, as a client would, and collects its messages. */
async function subscribe(taskUuid: string, query = "") {
	const response = await api(`/v1/tasks/${taskUuid}/stream${query}`, { headers: { Upgrade: "websocket" } });
	expect(response.status).toBe(101);
	const socket = response.webSocket;
	if (!socket) throw new Error("no socket in the 101");
	const messages: StreamMessage[] = [];
	socket.addEventListener("message", (event) =>
		messages.push(JSON.parse(String(event.data)) as StreamMessage),
	);
	socket.accept();
	await vi.waitFor(() => expect(messages.length).toBeGreaterThan(0), { timeout: 5_000, interval: 5 });
	return { socket, messages };
}

describe("GET /v1/tasks/{uuid}/stream", () => {
	it("sends a snapshot, then each change with its new transitions, numbered without a gap, until the task ends", async () => {
		const task = await submitTask("retry_twice", {}, "testing");
		await waitForTask(task.task_uuid, (t) => expect(t.waiting_for_retry_steps).toBe(1));
		const { socket, messages } = await subscribe(task.task_uuid);
		const [snapshot] = messages;
		expect(snapshot?.type).toBe("snapshot");
		expect(snapshot?.steps?.map((s) => s.name).sort()).toEqual(["after_flaky", "flaky"]);
		expect(snapshot?.transitions?.length).toBe(snapshot?.seq);

		// The two retries are due only when their alarm fires: each brings updates to the subscriber.
		await fireAlarmsUntil(
			task.task_uuid,
			async () => (await stepsByName(task.task_uuid)).after_flaky?.current_state === "complete",
			30_000,
		);
		await vi.waitFor(() => expect(messages.at(-1)?.task.status).toBe("complete"), {
			timeout: 5_000,
			interval: 5,
		});
		const updates = messages.slice(1);
		expect(updates.length).toBeGreaterThan(1);
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
	}, 45_000);

	it("with view=task, carries the task alone", async () => {
		const task = await submitTask("order_processing", { ...SEED_ORDER_CONTEXT, order_id: "ORD-STREAM-VIEW" });
		await waitForTask(task.task_uuid, (t) => expect(t.status).toBe("complete"));
		const { socket, messages } = await subscribe(task.task_uuid, "?view=task");
		expect(messages[0]).toMatchObject({ type: "snapshot", task: { status: "complete" } });
		expect(messages[0]?.steps).toBeUndefined();
		socket.close(1000, "done");
	});

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
