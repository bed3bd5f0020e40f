// What a handler sees of its task and step: the task's input, its ancestors' results, its configuration,
// its per-step inputs and checkpoint, and where it stands in its retries. Built fresh for every attempt from the
// task object's StepRunInput. Accessor names and semantics are the reference SDK's; `attempt`,
// `idempotencyKey`, `hasDependencyResult` and `requireDependencyResult` are tasker-edge's own.
import type { StepRunInput } from "../core/step-outcome";
import { PermanentError } from "./step-errors";

const NO_INPUTS: Readonly<Record<string, unknown>> = Object.freeze({});

/** A checkpoint as the engine saved it: its three fields typed, any other key readable. */
export type StepCheckpoint = NonNullable<StepRunInput["checkpoint"]> & Record<string, unknown>;

export class StepContext {
	readonly taskUuid: string;
	readonly stepUuid: string;
	readonly stepName: string;
	readonly correlationId: string;
	readonly namespace: string;
	readonly taskName: string;
	readonly taskVersion: string;
	/** The template's `handler.callable`: the name of the handler being run. */
	readonly handlerName: string;
	/** The task's `context`, as submitted. */
	readonly inputData: Readonly<Record<string, unknown>>;
	/**
	 * Results of every ancestor step (direct or transitive), keyed by step name: each is the value the handler
	 * returned, as stored (the reference's map holds an envelope around it; `getDependencyResult` gives the same value).
	 */
	readonly dependencyResults: Readonly<Record<string, unknown>>;
	/** The template's `handler.initialization`. */
	readonly stepConfig: Readonly<Record<string, unknown>>;
	/** Per-step inputs; a batch worker's cursor configuration lives here. Empty when there are none. */
	readonly stepInputs: Readonly<Record<string, unknown>>;
	/** 1 on the first run. */
	readonly attempt: number;
	/** Runs before this one (`attempt - 1`): 0 on the first run. */
	readonly retryCount: number;
	/** The step's `retry.max_attempts` (the reference's name for it). */
	readonly maxRetries: number;
	readonly maxAttempts: number;
	/**
	 * The same for every attempt of this step: pass it to payment APIs and the like, so that a retry after
	 * a lost acknowledgement does not repeat a side effect (steps are delivered at least once).
	 */
	readonly idempotencyKey: string;
	readonly timeoutSeconds: number;
	readonly #checkpoint: StepCheckpoint | null;

	constructor(input: StepRunInput) {
		this.taskUuid = input.task_uuid;
		this.stepUuid = input.step_uuid;
		this.stepName = input.step_name;
		this.correlationId = input.correlation_id;
		this.namespace = input.namespace;
		this.taskName = input.task_name;
		this.taskVersion = input.task_version;
		this.handlerName = input.callable;
		this.inputData = input.context;
		this.dependencyResults = input.dependency_results;
		this.stepConfig = input.initialization;
		this.stepInputs = input.step_inputs ?? NO_INPUTS;
		// Runs after a checkpoint yield are attempts to the task object (its fence), not to the handler.
		const yields = input.checkpoint_yields ?? 0;
		this.attempt = input.attempt - yields;
		this.retryCount = Math.max(0, this.attempt - 1);
		this.maxAttempts = input.max_attempts - yields;
		this.maxRetries = this.maxAttempts;
		this.idempotencyKey = `${input.task_uuid}:${input.step_uuid}`;
		this.timeoutSeconds = input.timeout_seconds;
		this.#checkpoint = (input.checkpoint as StepCheckpoint | null | undefined) ?? null;
	}

	/** A task input value, or undefined when absent. */
	getInput<T = unknown>(key: string): T | undefined {
		return ownValue(this.inputData, key) as T | undefined;
	}

	/** A task input value, or `defaultValue` when it is absent (undefined); a null input is returned as null. */
	getInputOr<T = unknown>(key: string, defaultValue: T): T {
		const value = ownValue(this.inputData, key);
		return value === undefined ? defaultValue : (value as T);
	}

	/** A value of the step's `handler.initialization`, or undefined when absent. */
	getConfig<T = unknown>(key: string): T | undefined {
		return ownValue(this.stepConfig, key) as T | undefined;
	}

	/**
	 * The result of an ancestor step, or null when there is none (a step not among the ancestors, or one on a
	 * branch a decision did not take). The type parameter is a convenience cast, as in `getInput<T>`.
	 */
	getDependencyResult<T = unknown>(stepName: string): T {
		const value = ownValue(this.dependencyResults, stepName);
		return (value === undefined ? null : value) as T;
	}

	/**
	 * Like `getDependencyResult`, but a step that is not an ancestor is a bug in the handler or the template that
	 * no retry can fix: it fails the step permanently (`UNKNOWN_DEPENDENCY`), naming the steps that are available.
	 */
	requireDependencyResult<T = unknown>(stepName: string): T {
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

	/** A field nested in an ancestor's result: `getDependencyField("analyze", "stats", "total")`; null when any part is missing. */
	getDependencyField(stepName: string, ...path: string[]): unknown {
		let value: unknown = this.getDependencyResult(stepName);
		if (value === null || value === undefined) return null;
		for (const key of path) {
			if (typeof value !== "object" || value === null) return null;
			value = ownValue(value as Record<string, unknown>, key);
		}
		return value;
	}

	/** The names of the steps whose results this step sees. */
	getDependencyResultKeys(): string[] {
		return Object.keys(this.dependencyResults);
	}

	/** The non-null results of every ancestor whose name starts with `prefix` (batch workers: `process_batch_`). */
	getAllDependencyResults(prefix: string): unknown[] {
		const results: unknown[] = [];
		for (const name of Object.keys(this.dependencyResults)) {
			if (!name.startsWith(prefix)) continue;
			const result = this.getDependencyResult(name);
			if (result !== null) results.push(result);
		}
		return results;
	}

	/** True from the second attempt on. */
	isRetry(): boolean {
		return this.retryCount > 0;
	}

	/** True when a retryable failure now would fail the step for good. */
	isLastRetry(): boolean {
		return this.retryCount >= this.maxRetries - 1;
	}

	/** The step's last checkpoint (`cursor`, `items_processed`, `accumulated_results`), or null. */
	get checkpoint(): StepCheckpoint | null {
		return this.#checkpoint;
	}

	/** Where the last checkpoint stopped, or null. */
	get checkpointCursor(): unknown {
		return this.#checkpoint?.cursor ?? null;
	}

	/** Items processed up to the last checkpoint; 0 without one. */
	get checkpointItemsProcessed(): number {
		const count = this.#checkpoint?.items_processed;
		return typeof count === "number" ? count : 0;
	}

	/** What the handler accumulated up to the last checkpoint, or null. */
	get accumulatedResults(): Record<string, unknown> | null {
		return this.#checkpoint?.accumulated_results ?? null;
	}

	hasCheckpoint(): boolean {
		return this.checkpointCursor !== null;
	}
}

// Own keys only: `getInput("constructor")` must not find Object.prototype.constructor.
function ownValue(record: Readonly<Record<string, unknown>>, key: string): unknown {
	return Object.hasOwn(record, key) ? record[key] : undefined;
}
