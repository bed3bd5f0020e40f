// A task's lifetime and staleness policy: the template's `lifecycle` block (reference §2/§5) combined
// with the global defaults, fixed when the task is created (like its template) and kept on the task.
// A default never cuts short what the template itself allows: when the template leaves a threshold
// out, the default is raised to what its own steps may legitimately take (timeouts, retries, backoff).
import { MAX_RETRY_AFTER_SECONDS, stepRunBudgetMs } from "../limits";
import type {
	LifecycleSettings,
	StalenessAction,
	StepDefinition,
	TaskTemplate,
} from "../templates/task-template";
import { isTerminalTaskState, TaskState } from "./states";
import type { TaskRecord } from "./task-records";
import { waitingSteps } from "./task-status";

// Ranges of the reference's lifecycle fields: defined with the other limits, where the template schema
// reads them too (so that src/templates never imports the core, which imports the template types).
export { MAX_DURATION_MINUTES_LIMIT, MAX_STATUS_MINUTES_LIMIT } from "../limits";

/** The global defaults (the reference's): used unless the template's steps need longer. */
export const DEFAULT_LIFECYCLE = {
	maxDurationMinutes: 24 * 60,
	maxWaitingForDependenciesMinutes: 60,
	maxWaitingForRetryMinutes: 30,
	maxStepsInProcessMinutes: 30,
	stalenessAction: "dlq",
} as const satisfies LifecycleSettings;

/**
 * Added to what the steps need when a default is raised: queue latency, alarm delays (up to about a
 * minute in maintenance) and the time between a result and the next dispatch are not in the template.
 */
export const STALENESS_SLACK_MS = 5 * 60_000;

const MINUTE_MS = 60_000;

/** The effective thresholds of one task, in milliseconds, as stored with it. */
export interface StalenessPolicy {
	action: StalenessAction;
	maxDurationMs: number;
	maxWaitingForDependenciesMs: number;
	maxWaitingForRetryMs: number;
	maxStepsInProcessMs: number;
}

export function stalenessPolicy(template: TaskTemplate): StalenessPolicy {
	const settings = template.lifecycle ?? null;
	const chosen = (value: number | null | undefined, fallbackMinutes: number, floorMs: number) =>
		value !== null && value !== undefined
			? value * MINUTE_MS
			: Math.max(fallbackMinutes * MINUTE_MS, floorMs);
	return {
		action: settings?.stalenessAction ?? DEFAULT_LIFECYCLE.stalenessAction,
		maxDurationMs: chosen(
			settings?.maxDurationMinutes,
			DEFAULT_LIFECYCLE.maxDurationMinutes,
			longestPathMs(template.steps) + STALENESS_SLACK_MS,
		),
		maxWaitingForDependenciesMs: chosen(
			settings?.maxWaitingForDependenciesMinutes,
			DEFAULT_LIFECYCLE.maxWaitingForDependenciesMinutes,
			0,
		),
		maxWaitingForRetryMs: chosen(
			settings?.maxWaitingForRetryMinutes,
			DEFAULT_LIFECYCLE.maxWaitingForRetryMinutes,
			Math.max(0, ...template.steps.map(longestRetryWaitMs)) + STALENESS_SLACK_MS,
		),
		maxStepsInProcessMs: chosen(
			settings?.maxStepsInProcessMinutes,
			DEFAULT_LIFECYCLE.maxStepsInProcessMinutes,
			Math.max(0, ...template.steps.map(longestRunMs)) + STALENESS_SLACK_MS,
		),
	};
}

/** One run of a step at most: its timeout plus the task object's grace before it times the run out. */
export function longestRunMs(step: Pick<StepDefinition, "timeoutSeconds">): number {
	return stepRunBudgetMs(step.timeoutSeconds);
}

/** The longest wait before a retry of this step: its max backoff, or a handler's retry_after (capped). */
export function longestRetryWaitMs(step: Pick<StepDefinition, "retry">): number {
	if (!step.retry.retryable || step.retry.maxAttempts <= 1) return 0;
	return Math.max(step.retry.maxBackoffMs, MAX_RETRY_AFTER_SECONDS * 1_000);
}

/** Every attempt of a step run to its timeout, with the longest wait between attempts. */
function stepWorstCaseMs(step: StepDefinition): number {
	const attempts = step.retry.retryable ? step.retry.maxAttempts : 1;
	return attempts * longestRunMs(step) + (attempts - 1) * longestRetryWaitMs(step);
}

/** The slowest chain of dependencies, each step at its worst: what the template allows end to end. */
function longestPathMs(steps: readonly StepDefinition[]): number {
	const byName = new Map(steps.map((step) => [step.name, step]));
	const finish = new Map<string, number>();
	// Iterative, in dependency order: a 10,000-step chain must not overflow the stack.
	const visit = (root: StepDefinition): void => {
		const stack: Array<{ step: StepDefinition; expanded: boolean }> = [{ step: root, expanded: false }];
		while (stack.length > 0) {
			const frame = stack[stack.length - 1] as { step: StepDefinition; expanded: boolean };
			if (finish.has(frame.step.name)) {
				stack.pop();
				continue;
			}
			const parents = frame.step.dependencies.flatMap((name) => byName.get(name) ?? []);
			if (!frame.expanded) {
				frame.expanded = true;
				for (const parent of parents)
					if (!finish.has(parent.name)) stack.push({ step: parent, expanded: false });
				continue;
			}
			stack.pop();
			const start = Math.max(0, ...parents.map((parent) => finish.get(parent.name) ?? 0));
			finish.set(frame.step.name, start + stepWorstCaseMs(frame.step));
		}
	};
	for (const step of steps) visit(step);
	return Math.max(0, ...finish.values());
}

/** The threshold that applies to a task in this status (the reference's three, in-process for the rest). */
export function statusThreshold(
	policy: StalenessPolicy,
	status: TaskState,
): { field: LifecycleField; ms: number } {
	if (status === TaskState.waitingForDependencies) {
		return { field: "max_waiting_for_dependencies_minutes", ms: policy.maxWaitingForDependenciesMs };
	}
	if (status === TaskState.waitingForRetry) {
		return { field: "max_waiting_for_retry_minutes", ms: policy.maxWaitingForRetryMs };
	}
	// steps_in_process, and the statuses that are on their way there or back (enqueuing_steps,
	// blocked_by_failures: its running steps finishing): all wait for steps in flight.
	return { field: "max_steps_in_process_minutes", ms: policy.maxStepsInProcessMs };
}

export type LifecycleField =
	| "max_duration_minutes"
	| "max_waiting_for_dependencies_minutes"
	| "max_waiting_for_retry_minutes"
	| "max_steps_in_process_minutes";

/** Which threshold a running task crosses first, and when; null when it is finished or not watched. */
export function stalenessDeadline(
	task: TaskRecord,
): { at: number; field: LifecycleField; ms: number } | null {
	const policy = task.staleness;
	if (policy === null || policy.action === "none" || isTerminalTaskState(task.status)) return null;
	// A task that waits for an event or a time is not stuck: each wait has its own timeout, and the
	// thresholds count again from the wait's end (its completion is progress).
	if (waitingSteps(task.counts) > 0) return null;
	const lifetime = { at: policy.lifetimeFrom + policy.maxDurationMs, field: "max_duration_minutes" as const };
	const inStatus = statusThreshold(policy, task.status);
	const status = { at: task.progressAt + inStatus.ms, field: inStatus.field };
	return lifetime.at <= status.at
		? { ...lifetime, ms: policy.maxDurationMs }
		: { ...status, ms: inStatus.ms };
}

/** When the alarm must look at the task's staleness, or null if never. */
export function staleAt(task: TaskRecord): number | null {
	return stalenessDeadline(task)?.at ?? null;
}
