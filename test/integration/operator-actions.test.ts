// Cancel and manual step actions through the real Worker: DELETE and PATCH, and the task resuming.
import { describe, expect, it, vi } from "vitest";
import type { StepView, TaskView } from "../../src/core/task-views";
import { api, fireAlarm, stepsByName, submitTask, taskStub, waitForTask } from "./helpers";

const json = (method: string, body?: unknown): RequestInit => ({
	method,
	headers: { "content-type": "application/json" },
	body: body === undefined ? undefined : JSON.stringify(body),
});
type ErrorBody = { error: { code: string; message: string } };

describe("DELETE /v1/tasks/{uuid}", () => {
	it("cancels a task that has not finished: nothing more runs, and it ends cancelled", async () => {
		const { task_uuid } = await submitTask("retry_twice", {}, "testing");
		await waitForTask(task_uuid, (task) => expect(task.status).toBe("waiting_for_retry"));

		const response = await api(`/v1/tasks/${task_uuid}`, json("DELETE"));
		expect(response.status).toBe(200);
		expect((await response.json()) as TaskView).toMatchObject({ status: "cancelled", cancelled_steps: 2 });
		const steps = await stepsByName(task_uuid);
		expect(steps.flaky?.current_state).toBe("cancelled");
		expect(steps.after_flaky).toMatchObject({ current_state: "cancelled", attempts: 0 });
		// The retry that was scheduled never runs: no alarm is left.
		expect(await fireAlarm(task_uuid)).toBe(false);

		const again = await api(`/v1/tasks/${task_uuid}`, json("DELETE"));
		expect(again.status).toBe(409);
		expect(((await again.json()) as ErrorBody).error).toEqual({
			code: "CONFLICT",
			message: `task ${task_uuid} is already cancelled: only a task that has not finished can be cancelled`,
		});
	});

	it("an unknown task is a 404", async () => {
		const response = await api("/v1/tasks/01a213c4-5220-71db-b60e-0000000000aa", json("DELETE"));
		expect(response.status).toBe(404);
	});
});

describe("PATCH /v1/tasks/{uuid}/workflow_steps/{step_uuid}", () => {
	async function declinedOrder() {
		const { task_uuid } = await submitTask("card_declined", {}, "testing");
		await waitForTask(task_uuid, (task) => expect(task.status).toBe("error"));
		return { task_uuid, steps: await stepsByName(task_uuid) };
	}

	it("complete_manually: the task resumes from error, and the dependent reads the operator's data", async () => {
		const { task_uuid, steps } = await declinedOrder();
		const logged = vi.spyOn(console, "log").mockImplementation(() => {});
		const response = await api(
			`/v1/tasks/${task_uuid}/workflow_steps/${steps.charge_payment?.step_uuid}`,
			json("PATCH", {
				action_type: "complete_manually",
				completion_data: { result: { charged: true, amount: 42 } },
				reason: "charged by phone",
				completed_by: "ops@example.com",
			}),
		);
		expect(response.status).toBe(200);
		expect((await response.json()) as StepView).toMatchObject({
			name: "charge_payment",
			current_state: "complete",
			results: { result: { charged: true, amount: 42 } },
		});
		// One log line says who did it and why.
		const lines = logged.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
		logged.mockRestore();
		expect(lines.find((l) => l.event === "step.complete_manually")).toMatchObject({
			task_uuid,
			step_name: "charge_payment",
			by: "ops@example.com",
			reason: "charged by phone",
		});
		const done = await waitForTask(task_uuid, (task) => expect(task.status).toBe("complete"));
		expect(done.completed_at).not.toBeNull();
		expect((await stepsByName(task_uuid)).ship_order?.results?.result).toMatchObject({
			dependencies: ["charge_payment", "validate_order"],
		});
		const audit = await taskStub(task_uuid).getTaskAudit();
		expect(audit?.map((t) => t.to_state).slice(-2)).toEqual(["steps_in_process", "complete"]);
	});

	it("reset_for_retry runs the failed step again, with a fresh budget and a new attempt number", async () => {
		const { task_uuid, steps } = await declinedOrder();
		const path = `/v1/tasks/${task_uuid}/workflow_steps/${steps.charge_payment?.step_uuid}`;
		const response = await api(
			path,
			json("PATCH", { action_type: "reset_for_retry", reason: "new card", reset_by: "ops" }),
		);
		expect(response.status).toBe(200);
		// The card is still declined: the step fails again, on attempt 2, and the task is back in error.
		await waitForTask(task_uuid, (task) => expect(task.status).toBe("error"));
		expect((await stepsByName(task_uuid)).charge_payment).toMatchObject({
			current_state: "error",
			attempts: 2,
			max_attempts: 4,
		});
	});

	it("bad input and impossible actions are clear 4xx errors", async () => {
		const { task_uuid, steps } = await declinedOrder();
		const path = `/v1/tasks/${task_uuid}/workflow_steps/${steps.validate_order?.step_uuid}`;
		const cases: Array<[unknown, number, RegExp]> = [
			[
				{ action_type: "retry_now", reason: "x" },
				400,
				/^action_type: expected one of: reset_for_retry, resolve_manually, complete_manually, got "retry_now"$/,
			],
			[
				{ reason: "x" },
				400,
				/^action_type: required but missing: expected one of: reset_for_retry, resolve_manually, complete_manually$/,
			],
			[["reset_for_retry"], 400, /expected an object whose action_type is one of: .*, got a list of 1 item/],
			[{ action_type: "reset_for_retry", reason: "x" }, 400, /^reset_by: required but missing/],
			[
				{ action_type: "reset_for_retry", reason: "x", reset_by: "ops" },
				409,
				/step validate_order is complete: only a step in error can be reset/,
			],
			[
				{ action_type: "resolve_manually", reason: "x", resolved_by: "ops" },
				409,
				/step validate_order is complete: it is already done/,
			],
		];
		for (const [body, status, message] of cases) {
			const response = await api(path, json("PATCH", body));
			expect(response.status).toBe(status);
			expect(((await response.json()) as ErrorBody).error.message).toMatch(message);
		}
		const unknownStep = await api(
			`/v1/tasks/${task_uuid}/workflow_steps/01a213c4-5220-71db-b60e-0000000000bb`,
			json("PATCH", { action_type: "resolve_manually", reason: "x", resolved_by: "ops" }),
		);
		expect(unknownStep.status).toBe(404);
	});
});
