// What a handler sees of its task and step: the task's input, its ancestors' results, its configuration
// and where it stands in its retries. Built fresh for every attempt from the task object's StepRunInput.
import type { StepRunInput } from "../core/step-outcome";
import { PermanentError } from "./step-errors";

export class StepContext {
	readonly taskUuid: string;
	readonly stepUuid: string;
	readonly stepName: string;
	readonly correlationId: string;
	readonly namespace: string;
	readonly taskName: string;
	readonly taskVersion: string;
	/** The task's `context`, as submitted. */
	readonly inputData: Readonly<Record<string, unknown>>;
	/** Results of every ancestor step (direct or transitive), keyed by step name. */
	readonly dependencyResults: Readonly<Record<string, unknown>>;
	/** The template's `handler.initialization`. */
	readonly stepConfig: Readonly<Record<string, unknown>>;
	/** 1 on the first run. */
	readonly attempt: number;
	/** Runs before this one (`attempt - 1`). */
	readonly retryCount: number;
	readonly maxAttempts: number;
	/**
	 * The same for every attempt of this step: pass it to payment APIs and the like, so that a retry after
	 * a lost acknowledgement does not repeat a side effect (steps are delivered at least once).
	 */
	readonly idempotencyKey: string;
	readonly timeoutSeconds: number;
	/** The reference's per-step inputs (a batch worker's cursor, `BatchWorkerInputs`); empty when none. */
	readonly stepInputs: Readonly<Record<string, unknown>>;
	/** The last checkpoint this step yielded, to resume from; null when none. */
	readonly checkpoint: StepRunInput["checkpoint"] | null;

	constructor(input: StepRunInput) {
		this.taskUuid = input.task_uuid;
		this.stepUuid = input.step_uuid;
		this.stepName = input.step_name;
		this.correlationId = input.correlation_id;
		this.namespace = input.namespace;
		this.taskName = input.task_name;
		this.taskVersion = input.task_version;
		this.inputData = input.context;
		this.dependencyResults = input.dependency_results;
		this.stepConfig = input.initialization;
		// Runs after a checkpoint yield are attempts to the task object (its fence), not to the handler.
		const yields = input.checkpoint_yields ?? 0;
		this.attempt = input.attempt - yields;
		this.retryCount = Math.max(0, this.attempt - 1);
		this.maxAttempts = input.max_attempts - yields;
		this.idempotencyKey = `${input.task_uuid}:${input.step_uuid}`;
		this.timeoutSeconds = input.timeout_seconds;
		this.stepInputs = input.step_inputs ?? {};
		this.checkpoint = input.checkpoint ?? null;
	}

	/** A task input value, or undefined when absent. */
	getInput<T = unknown>(key: string): T | undefined {
		return ownValue(this.inputData, key) as T | undefined;
	}

	/** A task input value, or `fallback` when it is absent or null. */
	getInputOr<T>(key: string, fallback: T): T {
		const value = ownValue(this.inputData, key);
		return value === undefined || value === null ? fallback : (value as T);
	}

	/** A value of the step's `handler.initialization`, or undefined when absent. */
	getConfig<T = unknown>(key: string): T | undefined {
		return ownValue(this.stepConfig, key) as T | undefined;
	}

	/**
	 * The result of an ancestor step. An unknown name is a bug in the handler or the template, which no
	 * retry can fix: it fails the step permanently, naming the steps that are available.
	 */
	getDependencyResult<T = unknown>(stepName: string): T {
		if (!Object.hasOwn(this.dependencyResults, stepName)) {
			const available = Object.keys(this.dependencyResults);
			throw new PermanentError(
				`step "${this.stepName}" has no dependency result "${stepName}"; available: ${
					available.length > 0 ? available.map((name) => `"${name}"`).join(", ") : "none"
				} (a step sees the results of its ancestors only)`,
				{ errorCode: "UNKNOWN_DEPENDENCY", metadata: { requested: stepName, available } },
			);
		}
		return this.dependencyResults[stepName] as T;
	}

	hasDependencyResult(stepName: string): boolean {
		return Object.hasOwn(this.dependencyResults, stepName);
	}

	isRetry(): boolean {
		return this.attempt > 1;
	}

	/** True when a retryable failure now would fail the step for good. */
	isLastRetry(): boolean {
		return this.attempt >= this.maxAttempts;
	}
}

// Own keys only: `getInput("constructor")` must not find Object.prototype.constructor.
function ownValue(record: Readonly<Record<string, unknown>>, key: string): unknown {
	return Object.hasOwn(record, key) ? record[key] : undefined;
}
