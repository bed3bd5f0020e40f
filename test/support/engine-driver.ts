// Drives the pure task engine the way the Durable Object and the consumer do, with a manual clock:
// create, alarm passes, claims and results, so that tests read like the real message flow.
import { claimStep } from "../../src/core/claim-step";
import { createTask } from "../../src/core/create-task";
import { recordDeadLetter } from "../../src/core/dead-letter";
import { confirmDispatched, runDueWork } from "../../src/core/due-work";
import { actOnStep, cancelTask, type StepAction } from "../../src/core/operator-actions";
import { type RecordOutcome, recordResult } from "../../src/core/record-result";
import type { StepMessage } from "../../src/core/step-message";
import type { StepOutcome } from "../../src/core/step-outcome";
import { nextWakeAt } from "../../src/core/task-mutations";
import { SEND_GRACE_MS } from "../../src/limits";
import type { TaskTemplate } from "../../src/templates/task-template";
import { MemoryTaskStore } from "./memory-task-store";

export { SEND_GRACE_MS } from "../../src/limits";

export class EngineDriver {
	readonly store = new MemoryTaskStore();
	now = 1_700_000_000_000;
	random = 0.5;
	private nextId = 0;

	/** Sent at creation and confirmed, not yet taken by a test (`alarm()` hands them out first). */
	private sentAtCreation: StepMessage[] = [];

	/** Creates the task and confirms the send of its roots, as the task object does when the queue accepts them. */
	create(template: TaskTemplate, context: Record<string, unknown> = {}) {
		const outcome = this.createUnsent(template, context);
		if (outcome.effects.dispatches.length > 0) {
			confirmDispatched(this.store, outcome.effects.dispatches, 1, this.now);
			this.sentAtCreation = outcome.effects.dispatches;
		}
		return outcome;
	}

	/** Creates the task only: its roots are owed, their send not (yet) confirmed. */
	createUnsent(template: TaskTemplate, context: Record<string, unknown> = {}) {
		return createTask(
			this.store,
			{
				taskUuid: "task-1",
				template,
				context,
				initiator: "test",
				sourceSystem: "unit",
				reason: "testing",
				tags: [],
				priority: 0,
				correlationId: "corr-1",
				parentCorrelationId: null,
			},
			this.now,
			() => `step-${this.nextId++}`,
			SEND_GRACE_MS,
		);
	}

	/**
	 * What reached the queue since the test last looked: the roots sent at creation, then one alarm
	 * pass; its sends are confirmed, as after a successful sendBatch.
	 */
	alarm(): StepMessage[] {
		const atCreation = this.sentAtCreation;
		this.sentAtCreation = [];
		const effects = runDueWork(
			this.store,
			this.now,
			SEND_GRACE_MS,
			() => this.random,
			() => `dlq-${this.nextId++}`,
		);
		if (effects.dispatches.length > 0) confirmDispatched(this.store, effects.dispatches, 1, this.now);
		return [...atCreation, ...effects.dispatches];
	}

	claim(message: StepMessage) {
		return claimStep(this.store, message.step_uuid, message.attempt, this.now);
	}

	report(
		message: Pick<StepMessage, "step_uuid" | "attempt">,
		outcome: StepOutcome,
		takeNext = false,
		reporterHandlers?: ReadonlySet<string>,
		reporterInputsToken?: string,
	): RecordOutcome {
		const result = recordResult(this.store, message.step_uuid, message.attempt, outcome, {
			now: this.now,
			random: this.random,
			sendGraceMs: SEND_GRACE_MS,
			takeNext,
			reporterHandlers,
			...(reporterInputsToken !== undefined ? { reporterInputsToken } : {}),
			newStepUuid: () => `step-${this.nextId++}`,
		});
		if (result.kind === "applied" && result.effects.dispatches.length > 0) {
			confirmDispatched(this.store, result.effects.dispatches, 1, this.now);
		}
		return result;
	}

	/** Claims and completes a dispatched step; returns what it made ready. */
	complete(message: StepMessage, result: unknown = { ok: message.step_name }): StepMessage[] {
		const claim = this.claim(message);
		if (claim.kind !== "run") throw new Error(`claim of ${message.step_name} dropped: ${claim.reason}`);
		const outcome = this.report(message, success(result));
		if (outcome.kind !== "applied")
			throw new Error(`result of ${message.step_name} dropped: ${outcome.reason}`);
		return outcome.effects.dispatches;
	}

	/** The dead-letter consumer's call: the queue gave up on this message. */
	deadLetter(message: Pick<StepMessage, "step_uuid" | "attempt">, deliveries: number | null = 10) {
		return recordDeadLetter(
			this.store,
			message.step_uuid,
			message.attempt,
			{ deliveries, queue: "tasker-steps" },
			this.now,
			() => `dlq-${this.nextId++}`,
		);
	}

	/** The next alarm time the task object would arm, as the alarm pass computes it. */
	get nextWake() {
		return nextWakeAt(this.store, this.task);
	}

	cancel(reason = "test") {
		return cancelTask(this.store, this.now, reason);
	}

	/** An operator's action on a step; what it dispatches is confirmed and handed out by `alarm()`. */
	act(stepName: string, action: StepAction) {
		const outcome = actOnStep(this.store, this.step(stepName).stepUuid, action, this.now, SEND_GRACE_MS);
		if (outcome.kind === "applied" && outcome.effects.dispatches.length > 0) {
			confirmDispatched(this.store, outcome.effects.dispatches, 1, this.now);
			this.sentAtCreation.push(...outcome.effects.dispatches);
		}
		return outcome;
	}

	get task() {
		const task = this.store.loadTask();
		if (!task) throw new Error("no task");
		return task;
	}

	step(name: string) {
		return this.store.stepNamed(name);
	}
}

export function success(result: unknown): StepOutcome {
	return { success: true, result, metadata: {}, execution_time_ms: 1 };
}

export function failure(
	retryable: boolean,
	options: { retryAfterSeconds?: number; errorType?: string } = {},
): StepOutcome {
	return {
		success: false,
		execution_time_ms: 1,
		error: {
			name: retryable ? "RetryableError" : "PermanentError",
			error_type: options.errorType ?? (retryable ? "retryable_error" : "permanent_error"),
			error_code: null,
			message: retryable ? "try again" : "cannot work",
			retryable,
			retry_after_seconds: options.retryAfterSeconds ?? null,
			metadata: {},
		},
	};
}

export const names = (messages: readonly StepMessage[]) => messages.map((m) => m.step_name).sort();
