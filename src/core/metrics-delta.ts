// What a stretch of a task's transition log adds to the fleet-wide metrics: counters and step
// durations, folded from the log itself, so that metrics can never disagree with the audit trail.
// The task object pushes each delta once (see durable-objects/fleet-sync.ts).
import { isWaitingState, StepState, TaskState } from "./states";
import type { TransitionRecord } from "./task-records";

/** The counters, by their Prometheus names (each is exported with the `tasker_` prefix and `_total`). */
export const METRIC_COUNTERS = [
	"tasks_created",
	"tasks_completed",
	"tasks_failed",
	"tasks_cancelled",
	"steps_dispatched",
	"steps_succeeded",
	"steps_failed",
	"steps_retried",
	"results_dropped",
	"claims_dropped",
	"waits_started",
	"waits_ended",
] as const;
export type MetricCounter = (typeof METRIC_COUNTERS)[number];

/**
 * Upper bounds (milliseconds) of the step duration histogram's buckets; a last, unbounded bucket
 * follows. From a no-op handler (a few ms) to the longest step timeout's neighbourhood.
 */
export const DURATION_BUCKETS_MS = [
	5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000,
] as const;

export interface StepDurations {
	step: string;
	/** Observations per bucket, not cumulative: index i counts durations ≤ DURATION_BUCKETS_MS[i] and above the previous bound; the last index is the unbounded bucket. */
	buckets: number[];
	sumMs: number;
	count: number;
}

export interface MetricsDelta {
	counters: Partial<Record<MetricCounter, number>>;
	durations: StepDurations[];
}

export interface MetricsDeltaInput {
	/** The transitions not yet pushed, in any order. */
	transitions: readonly TransitionRecord[];
	/** True for the task's first push: it counts the task as created. */
	firstPush: boolean;
	/** Results and claims dropped since the last push (from the task's operation counters). */
	resultsDropped: number;
	claimsDropped: number;
}

export function metricsDelta(input: MetricsDeltaInput): MetricsDelta {
	const counters: Partial<Record<MetricCounter, number>> = {};
	const add = (name: MetricCounter, by = 1) => {
		if (by > 0) counters[name] = (counters[name] ?? 0) + by;
	};
	const durations = new Map<string, StepDurations>();
	if (input.firstPush) add("tasks_created");
	add("results_dropped", input.resultsDropped);
	add("claims_dropped", input.claimsDropped);
	for (const transition of input.transitions) {
		if (transition.stepIdx === null) {
			const counter = TASK_FINISHES[transition.toState];
			if (counter) add(counter);
			continue;
		}
		const counter = stepCounter(transition);
		if (counter) add(counter);
		// Steps waiting now, fleet-wide, are waits_started - waits_ended (an event, a wake, a timeout, a cancel).
		if (isWaitingState(transition.toState as StepState)) add("waits_started");
		if (transition.fromState !== null && isWaitingState(transition.fromState as StepState))
			add("waits_ended");
		const ms = transition.metadata.execution_time_ms;
		if (typeof ms === "number" && Number.isFinite(ms) && ms >= 0 && transition.stepName !== null) {
			observe(durations, transition.stepName, ms);
		}
	}
	return { counters, durations: [...durations.values()].sort((a, b) => a.step.localeCompare(b.step)) };
}

export function isEmptyDelta(delta: MetricsDelta): boolean {
	return Object.keys(delta.counters).length === 0 && delta.durations.length === 0;
}

/** The bucket a duration falls in: the first whose bound it does not exceed, else the unbounded one. */
export function bucketIndex(ms: number): number {
	const index = DURATION_BUCKETS_MS.findIndex((bound) => ms <= bound);
	return index === -1 ? DURATION_BUCKETS_MS.length : index;
}

const TASK_FINISHES: Partial<Record<string, MetricCounter>> = {
	[TaskState.complete]: "tasks_completed",
	[TaskState.error]: "tasks_failed",
	[TaskState.cancelled]: "tasks_cancelled",
};

/** A step transition's counter: a dispatch is an attempt put on the queue or handed to a consumer. */
function stepCounter(transition: TransitionRecord): MetricCounter | null {
	switch (transition.toState) {
		case StepState.enqueued:
			return "steps_dispatched";
		case StepState.inProgress:
			return transition.metadata.handed_over === true ? "steps_dispatched" : null;
		case StepState.complete:
			return "steps_succeeded";
		case StepState.waitingForRetry:
			return "steps_retried";
		case StepState.error:
			return "steps_failed";
		default:
			return null;
	}
}

function observe(durations: Map<string, StepDurations>, step: string, ms: number): void {
	let entry = durations.get(step);
	if (!entry) {
		entry = { step, buckets: new Array(DURATION_BUCKETS_MS.length + 1).fill(0), sumMs: 0, count: 0 };
		durations.set(step, entry);
	}
	entry.buckets[bucketIndex(ms)] = (entry.buckets[bucketIndex(ms)] ?? 0) + 1;
	entry.sumMs += ms;
	entry.count += 1;
}
