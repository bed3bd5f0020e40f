// examples/domain-event-subscriber: acknowledges what it handled or cannot use, and asks the queue to
// deliver again only when its own reaction failed.
import { describe, expect, it, vi } from "vitest";
import subscriber, { reactions } from "../../examples/domain-event-subscriber/src/worker";
import { taskEvents } from "../../src/cli/task-commands";

function message(body: unknown) {
	return { body, ack: vi.fn(), retry: vi.fn() };
}

const event = (name: string) => ({
	event_id: "e-1",
	event_name: name,
	event_version: "1.0",
	delivery_mode: "durable",
	payload: { payload: { amount: 5 }, execution_result: {} },
	metadata: { task_uuid: "t-1", correlation_id: "c-1" },
});

describe("examples/domain-event-subscriber", () => {
	it("reacts to payment.processed, acknowledges the others and anything that is no event", async () => {
		const log = vi.spyOn(console, "log").mockImplementation(() => {});
		const messages = [
			message(event("payment.processed")),
			message(event("order.validated")),
			message("junk"),
		];
		await subscriber.queue({ messages } as never);
		expect(messages.map((m) => [m.ack.mock.calls.length, m.retry.mock.calls.length])).toEqual([
			[1, 0],
			[1, 0],
			[1, 0],
		]);
		expect(JSON.parse(String(log.mock.calls[0]?.[0]))).toMatchObject({
			reaction: "payment.processed",
			event_id: "e-1",
			payload: { amount: 5 },
		});
		log.mockRestore();
	});

	it("leaves an event to be delivered again when its reaction fails", async () => {
		const original = reactions["payment.processed"];
		reactions["payment.processed"] = () => {
			throw new Error("downstream down");
		};
		const failing = message(event("payment.processed"));
		await subscriber.queue({ messages: [failing] } as never);
		expect(failing.ack).not.toHaveBeenCalled();
		expect(failing.retry).toHaveBeenCalledWith({ delaySeconds: 5 });
		if (original) reactions["payment.processed"] = original;
	});
});

describe("tasker task events", () => {
	const listed = [
		{
			event: { ...event("payment.processed"), metadata: { task_uuid: "t-1", step_name: "charge" } },
			delivery: { status: "sent", recorded_at: "2026-12-04T13:00:00.000Z", sent_at: "x", send_attempts: 1 },
		},
	];
	const run = async (json: boolean) => {
		const lines: string[] = [];
		const client = { getTaskEvents: async () => listed };
		const output = { out: (line: string) => lines.push(line), err: () => {}, progress: () => {} };
		const code = await taskEvents({ client, output, json } as never, "t-1");
		return { code, lines };
	};

	it("prints one line per event for a person, the events as JSON with --json", async () => {
		expect(await run(false)).toEqual({
			code: 0,
			lines: ["2026-12-04T13:00:00.000Z  sent     payment.processed  step charge  e-1"],
		});
		const { lines } = await run(true);
		expect(JSON.parse(lines[0] ?? "")).toMatchObject([
			{ event: { event_id: "e-1" }, delivery: { status: "sent" } },
		]);
	});
});
