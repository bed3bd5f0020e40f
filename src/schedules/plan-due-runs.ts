// Which due times a schedule starts when its alarm fires: those since its cursor (the last due time
// it considered) up to now, thinned by its catch-up policy. Pure: time is passed in. The cursor moves
// to the newest due time considered, so an alarm that fires twice finds nothing due the second time.
import type { Cron } from "croner";
import { MAX_SCHEDULE_CATCH_UP_RUNS, SCHEDULE_ON_TIME_GRACE_MS } from "../limits";
import { dueTimesBetween } from "./cron-spec";

export const CATCH_UP_POLICIES = ["none", "latest", "all"] as const;
export type CatchUp = (typeof CATCH_UP_POLICIES)[number];

export interface DuePlan {
	/** Due times to start now, oldest first. */
	fire: number[];
	/** Due times passed over (not started), counted up to MISSED_COUNT_CAP. */
	missed: number;
	/** The new cursor: the newest due time considered (unchanged when none was due). */
	cursor: number;
}

/** Missed due times are counted one by one up to this; past it the count says "at least". */
export const MISSED_COUNT_CAP = 1_000;

export function planDueRuns(cron: Cron, cursor: number, now: number, catchUp: CatchUp): DuePlan {
	const recent = newestDueTimes(cron, cursor, now, MAX_SCHEDULE_CATCH_UP_RUNS);
	const latest = recent.at(-1);
	if (latest === undefined) return { fire: [], missed: 0, cursor };
	const fire =
		catchUp === "all"
			? recent
			: catchUp === "latest" || now - latest <= SCHEDULE_ON_TIME_GRACE_MS
				? [latest]
				: [];
	const due = dueTimesBetween(cron, cursor, now, MISSED_COUNT_CAP).length;
	return { fire, missed: Math.max(0, due - fire.length), cursor: latest };
}

/** The newest `count` due times in (after, until], oldest first, without walking a long outage forward. */
function newestDueTimes(cron: Cron, after: number, until: number, count: number): number[] {
	// croner's previousRuns counts back from a reference that it treats to the second, exclusively:
	// ask from one second past `until` and keep what is inside the window.
	return cron
		.previousRuns(count + 1, new Date(until + 1_000))
		.map((date) => date.getTime())
		.filter((time) => time > after && time <= until)
		.sort((a, b) => a - b)
		.slice(-count);
}
