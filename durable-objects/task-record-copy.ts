// The store hands the engine a fresh task record on every read, since the engine changes what it reads.
// Only what the engine changes is copied: the step counts, the counters and the staleness thresholds,
// each a flat record of numbers and strings. The context and tags never change after creation: they
// are frozen once, when the store first holds them, and shared by every copy, so that an operation's
// cost does not grow with the size of its task's context (a JSON round trip of the whole record did, on
// every read and save) and a change to them throws instead of passing unnoticed.
import type { TaskRecord } from "../src/core/task-records";

export function copyTaskRecord(task: Readonly<TaskRecord>): TaskRecord {
	return {
		...task,
		counts: { ...task.counts },
		stats: { ...task.stats },
		staleness: task.staleness === null ? null : { ...task.staleness },
	};
}

/** Freezes JSON data in place, every nested object and array with it; returns it. */
export function deepFreeze<T>(value: T): T {
	if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
	for (const nested of Object.values(value)) deepFreeze(nested);
	return Object.freeze(value);
}
