// The event inbox in memory, for the pure-core tests and the chaos suite; copies like real storage.
import type { EventInbox, InboxEvent } from "../../src/core/wait-inbox";

export class MemoryEventInbox implements EventInbox {
	readonly events: InboxEvent[] = [];

	find(eventId: string): InboxEvent | null {
		const found = this.events.find((e) => e.eventId === eventId);
		return found ? structuredClone(found) : null;
	}
	add(event: InboxEvent): void {
		if (this.events.some((e) => e.eventId === event.eventId))
			throw new Error(`duplicate event_id ${event.eventId}`);
		this.events.push(structuredClone(event));
	}
	markConsumed(eventId: string, stepUuid: string): void {
		const found = this.events.find((e) => e.eventId === eventId);
		if (found) found.consumedBy = stepUuid;
	}
	kept(name: string): InboxEvent[] {
		return this.events.filter((e) => e.consumedBy === null && e.name === name).map((e) => structuredClone(e));
	}
	keptCount(): number {
		return this.events.filter((e) => e.consumedBy === null).length;
	}
}
