// A consumer claims an attempt before running its handler: the claim moves the step to `in_progress`
// and hands out its inputs. A duplicate delivery of a finished attempt is refused here, so its
// handler does not even run; a redelivery of a running attempt (its consumer died) may run again.
// A claim starts the attempt's deadline: past it, the alarm fails the attempt as a `timeout`.
import { checkpointInput } from "./checkpoint-yield";
import { attemptFence, type DropReason } from "./drop-reason";
import { lastAllowedAttempt } from "./retry-budget";
import { StepState } from "./states";
import type { StepRunInput } from "./step-outcome";
import { clearOwed, moveStep, settleTask, startDeadline } from "./task-mutations";
import type { StepRecord, TaskRecord } from "./task-records";
import type { TaskStore } from "./task-store";

export type ClaimOutcome =
	/** `deadline`: when the task object times this run out; the shell arms its alarm for it. */
	{ kind: "run"; input: StepRunInput; deadline: number } | { kind: "dropped"; reason: DropReason };

export function claimStep(store: TaskStore, stepUuid: string, attempt: number, now: number): ClaimOutcome {
	const task = store.loadTask();
	if (!task) return { kind: "dropped", reason: "unknown_task" };
	const step = store.getStep(stepUuid);
	const reason = attemptFence(task, step, attempt);
	if (reason !== null || !step) {
		task.stats.claimsDropped += 1;
		store.saveTask(task);
		return { kind: "dropped", reason: reason ?? "unknown_step" };
	}

	// A claim proves the message arrived, whether or not the sender has confirmed the send yet.
	clearOwed(task, step);
	step.lastAttemptedAt = now;
	task.stats.claims += 1;
	if (step.state === StepState.enqueued) moveStep(store, task, step, StepState.inProgress, now);
	else moveStep(store, task, step, StepState.inProgress, now, { redelivered: true });
	// Every run gets its full budget: a redelivery (its consumer died) starts the clock again.
	const deadline = startDeadline(step, now);
	store.saveStep(step);
	settleTask(store, task, now);

	return { kind: "run", input: runInputFor(store, task, step), deadline };
}

/**
 * Everything a consumer needs to run the step's current attempt. With `reported` (a parent of this step
 * whose report hands it over, when the reporter's inputs are still exact), a step whose only parent it is
 * gets only its result: the reporter completes the inputs from its own (`inherits_inputs`), so a step deep
 * in a chain is handed one result, not every ancestor's.
 */
export function runInputFor(
	store: TaskStore,
	task: TaskRecord,
	step: StepRecord,
	reported: StepRecord | null = null,
): StepRunInput {
	// Exactly the value a full walk of the ancestors would give for it.
	const inherited = reported !== null && step.totalParents === 1 ? store.resultAsInput(reported.idx) : null;
	const token = store.inputsToken();
	return {
		task_uuid: task.taskUuid,
		step_uuid: step.stepUuid,
		step_name: step.name,
		namespace: task.namespace,
		task_name: task.name,
		task_version: task.version,
		correlation_id: task.correlationId,
		callable: step.callable,
		initialization: step.initialization,
		context: task.context,
		dependency_results:
			reported !== null && inherited !== null
				? { [reported.name]: inherited.value }
				: store.ancestorResults(step.idx),
		attempt: step.attempt,
		max_attempts: lastAllowedAttempt(step),
		timeout_seconds: step.timeoutSeconds,
		// Only when the template sets them: a plain step's input stays as it was.
		...(step.extras?.method !== undefined ? { method: step.extras.method } : {}),
		...(step.extras?.resultSchema !== undefined ? { result_schema: step.extras.resultSchema } : {}),
		...(step.stepInputs ? { step_inputs: step.stepInputs } : {}),
		...checkpointInput(step),
		...(token !== null ? { inputs_token: token } : {}),
		...(inherited !== null ? { inherits_inputs: true as const } : {}),
	};
}
