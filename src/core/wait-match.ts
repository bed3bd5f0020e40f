// Which event a waiting step takes: same name, and when the wait has a `match` path, the same value at
// that path in the event's payload as in the task's context.

import { canonicalJson } from "./canonical-json";
import type { TaskRecord } from "./task-records";
import type { TaskStore } from "./task-store";
import type { InboxEvent } from "./wait-inbox";
import { type EventWait, readDotPath } from "./wait-spec";

export function eventMatches(wait: EventWait, task: TaskRecord, name: string, payload: unknown): boolean {
	if (wait.name !== name) return false;
	if (wait.match === null) return true;
	const expected = readDotPath(task.context, wait.match);
	const given = readDotPath(payload, wait.match);
	return expected !== undefined && given !== undefined && canonicalJson(expected) === canonicalJson(given);
}

/** The oldest kept event this wait would take, or null. */
export function keptEventFor(store: TaskStore, task: TaskRecord, wait: EventWait): InboxEvent | null {
	return (
		store.events.kept(wait.name).find((event) => eventMatches(wait, task, event.name, event.payload)) ?? null
	);
}
