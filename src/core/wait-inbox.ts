// The task's event inbox: every event applied (to detect a duplicate `event_id`) and every event kept
// because no step waited for it yet (delivered when one does). A port, like TaskStore: the task
// object keeps it in SQLite, tests in memory. Synchronous, so it joins the operation's transaction.

export interface InboxEvent {
	eventId: string;
	name: string;
	payload: unknown;
	receivedAt: number;
	/** The step it completed; null while it is kept for a step that does not wait yet. */
	consumedBy: string | null;
}

export interface EventInbox {
	find(eventId: string): InboxEvent | null;
	add(event: InboxEvent): void;
	markConsumed(eventId: string, stepUuid: string): void;
	/** Kept events of this name, oldest first. */
	kept(name: string): InboxEvent[];
	keptCount(): number;
}
