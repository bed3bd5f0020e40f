// Failures through the real chain: retries wait in waiting_for_retry until their alarm (fired here
// with the test helper, never a sleep); a permanent failure errors the task and no dependent runs.
import { describe, expect, it } from "vitest";
import { fireAlarm, fireAlarmsUntil, stepsByName, submitTask, taskStub, waitForTask } from "./helpers";

const stepState = async (taskUuid: string, name: string) => (await stepsByName(taskUuid))[name];

describe("a handler that fails twice with RetryableError, then succeeds", () => {
	it("completes on its third attempt, each retry waiting for its backoff", async () => {
		const { task_uuid } = await submitTask("retry_twice", {}, "testing");
		await fireAlarm(task_uuid);

		for (const attempt of [1, 2]) {
			await waitForTask(task_uuid, (task) => expect(task.status).toBe("waiting_for_retry"));
			const waiting = await stepState(task_uuid, "flaky");
			expect(waiting).toMatchObject({ current_state: "waiting_for_retry", attempts: attempt });
			expect(waiting?.last_error).toMatchObject({
				name: "RetryableError",
				error_type: "retryable_error",
				error_code: "FLAKY",
				retryable: true,
			});
			// The template's linear backoff: 60 s after the first failure, 120 s after the second (±15% jitter).
			const delay = Date.parse(waiting?.next_retry_at ?? "") - Date.parse(waiting?.last_failure_at ?? "");
			expect(delay).toBeGreaterThanOrEqual(60_000 * attempt * 0.85);
			expect(delay).toBeLessThanOrEqual(60_000 * attempt * 1.15);
			await fireAlarmsUntil(
				task_uuid,
				async () => (await stepState(task_uuid, "flaky"))?.attempts === attempt + 1,
			);
		}

		await waitForTask(task_uuid, (task) => expect(task.status).toBe("complete"));
		const flaky = await stepState(task_uuid, "flaky");
		expect(flaky).toMatchObject({ current_state: "complete", attempts: 3, next_retry_at: null });
		expect(flaky?.results?.result).toEqual({ succeeded_on_attempt: 3 });
		expect((await stepState(task_uuid, "after_flaky"))?.results?.result).toMatchObject({
			dependencies: ["flaky"],
		});
		const audit = await taskStub(task_uuid).getStepAudit(flaky?.step_uuid ?? "");
		expect(audit?.map((t) => `${t.to_state}#${t.attempt}`)).toEqual([
			"enqueued#1",
			"in_progress#1",
			"waiting_for_retry#1",
			"enqueued#2",
			"in_progress#2",
			"waiting_for_retry#2",
			"enqueued#3",
			"in_progress#3",
			"complete#3",
		]);
	});
});

describe("a PermanentError", () => {
	it("ends the task in error through blocked_by_failures; the failed step's dependent never runs", async () => {
		const { task_uuid } = await submitTask("card_declined", {}, "testing");
		await fireAlarm(task_uuid);
		const task = await waitForTask(task_uuid, (t) => expect(t.status).toBe("error"));
		expect(task).toMatchObject({
			execution_status: "blocked_by_failures",
			recommended_action: "handle_failures",
			health_status: "blocked",
			failed_steps: 1,
		});

		const steps = await stepsByName(task_uuid);
		expect(steps.charge_payment).toMatchObject({ current_state: "error", attempts: 1 });
		expect(steps.charge_payment?.last_error).toMatchObject({
			name: "PermanentError",
			error_type: "permanent_error",
			error_code: "CARD_DECLINED",
			message: "card declined",
			retryable: false,
		});
		// The branch that was already dispatched finished; the dependent of the failure never started.
		expect(steps.notify_customer?.current_state).toBe("complete");
		expect(steps.ship_order).toMatchObject({
			current_state: "pending",
			attempts: 0,
			last_attempted_at: null,
		});
		expect(await taskStub(task_uuid).getStepAudit(steps.ship_order?.step_uuid ?? "")).toEqual([]);

		// notify_customer runs beside charge_payment: if it was still running when the payment failed,
		// the task waited for it in blocked_by_failures; either way error is the last word.
		const states = (await taskStub(task_uuid).getTaskAudit())?.map((t) => t.to_state) ?? [];
		expect(states.at(-1)).toBe("error");
		expect(["blocked_by_failures", "steps_in_process"]).toContain(states.at(-2));
		// Nothing is scheduled for a finished task: firing its alarm does nothing.
		expect(await fireAlarm(task_uuid)).toBe(false);
	});
});
