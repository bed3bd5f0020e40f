// When each step is next due (an owed send, a retry's backoff, a running or waiting attempt's deadline),
// held in the object's memory for the alarm. The step table has no index on these times on purpose
// (an index entry is a billed row written each time a time is set or cleared), so asking SQLite meant
// scanning every step on each alarm pass: on a long task, rows read per step grew with its size.
// Only steps with a time set are held, so a chain holds one or two.
//
// Kept coherent like TaskResultGraph: filled from the store's own step writes, rebuilt by one scan after
// the object was evicted or a transaction rolled back (SqliteTaskStore.discard).
import type { StepState } from "../src/core/states";

/** The states whose steps carry a deadline: running, sent (claim window), and waiting (an event or a time). */
export const DEADLINE_STATES: ReadonlySet<string> = new Set([
	"in_progress",
	"enqueued",
	"waiting_for_event",
	"sleeping",
]);
const RETRY_STATE = "waiting_for_retry";

export interface StepTimes {
	idx: number;
	state: StepState | string;
	dispatchDueAt: number | null;
	nextRetryAt: number | null;
	deadlineAt: number | null;
}

interface Due {
	dispatch: number | null;
	retry: number | null;
	deadline: number | null;
}

export class StepDueTimes {
	private readonly due = new Map<number, Due>();

	/** A step was written with these fields (as the alarm's queries read them). */
	set(step: StepTimes): void {
		const due: Due = {
			dispatch: step.dispatchDueAt,
			retry: step.state === RETRY_STATE ? step.nextRetryAt : null,
			deadline: DEADLINE_STATES.has(step.state) ? step.deadlineAt : null,
		};
		if (due.dispatch === null && due.retry === null && due.deadline === null) this.due.delete(step.idx);
		else this.due.set(step.idx, due);
	}

	/** Steps owed a send by `now`, earliest first, at most `limit`. */
	dispatchesDue(now: number, limit: number): number[] {
		return this.dueBy("dispatch", now, limit);
	}

	retriesDue(now: number, limit: number): number[] {
		return this.dueBy("retry", now, limit);
	}

	deadlinesDue(now: number, limit: number): number[] {
		return this.dueBy("deadline", now, limit);
	}

	/** The earliest time of all (retries only if asked), or null when nothing is scheduled. */
	nextDueAt(includeRetries: boolean): number | null {
		let earliest: number | null = null;
		for (const due of this.due.values()) {
			for (const at of [due.dispatch, due.deadline, includeRetries ? due.retry : null]) {
				if (at !== null && (earliest === null || at < earliest)) earliest = at;
			}
		}
		return earliest;
	}

	private dueBy(kind: keyof Due, now: number, limit: number): number[] {
		const found: Array<[number, number]> = [];
		for (const [idx, due] of this.due) {
			const at = due[kind];
			if (at !== null && at <= now) found.push([at, idx]);
		}
		found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
		return found.slice(0, Math.max(0, limit)).map(([, idx]) => idx);
	}
}
