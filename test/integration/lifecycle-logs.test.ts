// Structured logs: one JSON line per lifecycle event, with the task, step, correlation id, attempt
// and duration, so a run can be followed (and filtered) in Workers Logs. TASKER_LOG_LEVEL (default info)
// leaves out a step's success unless it is debug.
import { describe, expect, it, vi } from "vitest";
import { setLogLevel } from "../../src/observability/log-event";
import { SEED_ORDER_CONTEXT, submitTask, waitForTask } from "./helpers";

/** The JSON lines written while `run` runs. */
async function captureLines(
	run: (lines: Record<string, unknown>[]) => Promise<void>,
): Promise<Record<string, unknown>[]> {
	const lines: Record<string, unknown>[] = [];
	const spy = vi.spyOn(console, "log").mockImplementation((line: unknown) => {
		if (typeof line === "string" && line.startsWith("{")) lines.push(JSON.parse(line));
	});
	try {
		await run(lines);
	} finally {
		spy.mockRestore();
	}
	return lines;
}

describe("lifecycle logs", () => {
	it("at the default level (info) the order logs its creation and completion, not each step", async () => {
		let taskUuid = "";
		const lines = await captureLines(async (seen) => {
			const { task_uuid } = await submitTask("order_processing", SEED_ORDER_CONTEXT);
			taskUuid = task_uuid;
			await waitForTask(task_uuid, (task) => expect(task.status).toBe("complete"));
			await vi.waitFor(() =>
				expect(seen.some((l) => l.event === "task.complete" && l.task_uuid === task_uuid)).toBe(true),
			);
		});
		const mine = lines.filter((l) => l.task_uuid === taskUuid);
		expect(mine.map((l) => [l.event, l.level])).toEqual([
			["task.created", "info"],
			["task.complete", "info"],
		]);
	});

	it("at debug, the seed's order logs its creation, each step and its completion as JSON lines", async () => {
		setLogLevel("debug");
		const lines: Record<string, unknown>[] = [];
		const spy = vi.spyOn(console, "log").mockImplementation((line: unknown) => {
			if (typeof line === "string" && line.startsWith("{")) lines.push(JSON.parse(line));
		});
		try {
			const { task_uuid, correlation_id } = await submitTask("order_processing", SEED_ORDER_CONTEXT);
			await waitForTask(task_uuid, (task) => expect(task.status).toBe("complete"));
			await vi.waitFor(() =>
				expect(lines.some((l) => l.event === "task.complete" && l.task_uuid === task_uuid)).toBe(true),
			);
			const mine = lines.filter((l) => l.task_uuid === task_uuid);
			expect(mine.map((l) => l.event)).toContain("task.created");
			const steps = mine.filter((l) => l.event === "step.succeeded");
			expect(steps.map((l) => l.step_name).sort()).toEqual([
				"charge_payment",
				"notify_customer",
				"reserve_inventory",
				"validate_order",
			]);
			for (const step of steps) {
				expect(step).toMatchObject({
					level: "debug",
					correlation_id,
					attempt: 1,
					duration_ms: expect.any(Number),
					step_state: "complete",
				});
			}
			expect(mine.find((l) => l.event === "task.complete")).toMatchObject({
				correlation_id,
				duration_ms: expect.any(Number),
				completed_steps: 4,
			});
		} finally {
			spy.mockRestore();
			setLogLevel("info");
		}
	});
});
