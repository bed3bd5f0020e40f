// Structured logs: one JSON line per lifecycle event, with the task, step, correlation id, attempt
// and duration, so a run can be followed (and filtered) in Workers Logs.
import { describe, expect, it, vi } from "vitest";
import { SEED_ORDER_CONTEXT, submitTask, waitForTask } from "./helpers";

describe("lifecycle logs", () => {
	it("the seed's order logs its creation, each step and its completion as JSON lines", async () => {
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
		}
	});
});
