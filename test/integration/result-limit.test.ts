// The step result limit through the real queue, consumer and task object: a result of exactly
// MAX_STEP_RESULT_BYTES is stored and handed on; one byte more fails the step permanently with
// RESULT_TOO_LARGE (no retry though attempts are left), its dependent never runs, the task ends in error.
import { describe, expect, it } from "vitest";
import { MAX_STEP_RESULT_BYTES } from "../../src/limits";
import { stepsByName, submitTask, waitForTask } from "./helpers";

describe("step result size", () => {
	it(`a result of exactly ${MAX_STEP_RESULT_BYTES} bytes as JSON is stored and its dependent runs`, async () => {
		const { task_uuid } = await submitTask(
			"sized_result",
			{ result_bytes: MAX_STEP_RESULT_BYTES },
			"testing",
		);
		await waitForTask(task_uuid, (task) => expect(task.status).toBe("complete"));
		const steps = await stepsByName(task_uuid);
		expect(JSON.stringify(steps.produce?.results?.result).length).toBe(MAX_STEP_RESULT_BYTES);
		expect(steps.consume?.results?.result).toMatchObject({ dependencies: ["produce"] });
	});

	it("one byte more fails the step for good with RESULT_TOO_LARGE, naming size and limit", async () => {
		const { task_uuid } = await submitTask(
			"sized_result",
			{ result_bytes: MAX_STEP_RESULT_BYTES + 1 },
			"testing",
		);
		const task = await waitForTask(task_uuid, (t) => expect(t.status).toBe("error"));
		expect(task).toMatchObject({ failed_steps: 1, completed_steps: 0 });
		const { produce, consume } = await stepsByName(task_uuid);
		expect(produce).toMatchObject({ current_state: "error", attempts: 1, results: null });
		expect(produce?.last_error).toMatchObject({
			error_type: "invalid_result",
			error_code: "RESULT_TOO_LARGE",
			retryable: false,
			metadata: { result_bytes: MAX_STEP_RESULT_BYTES + 1, limit_bytes: MAX_STEP_RESULT_BYTES },
		});
		expect(produce?.last_error?.message).toContain(`${MAX_STEP_RESULT_BYTES + 1} bytes`);
		expect(consume?.current_state).toBe("pending");
	});
});
