// Completing a step (or resolving it by hand) touches only its direct dependents: in-degree counters,
// never a scan of the DAG, so a 10,000-step task costs the same per step as a 4-step one.
import { StepState } from "./states";
import type { StepRecord, TaskRecord } from "./task-records";
import { mayStartSteps } from "./task-status";
import type { TaskStore } from "./task-store";

/** Decrements each direct dependent's count of unmet parents; returns those that became ready to start. */
export function releaseDependents(store: TaskStore, task: TaskRecord, completed: StepRecord): StepRecord[] {
	const mayStart = mayStartSteps(task);
	const ready: StepRecord[] = [];
	for (const child of store.childrenOf(completed.idx)) {
		child.unmetParents -= 1;
		if (child.unmetParents === 0 && child.state === StepState.pending && mayStart) ready.push(child);
		// A child about to start is saved once, by enqueue or hand-over, not twice.
		else store.saveStep(child);
	}
	return ready;
}
