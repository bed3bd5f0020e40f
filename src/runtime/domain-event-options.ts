// How the task object builds domain events: fresh ids, and payloads checked against each event's
// `schema`, compiled once per schema text and kept (not per step).
import type { DomainEventsOptions } from "../core/domain-events";
import { describeViolation, schemaCheckForWire } from "../validation/json-schema";

export function domainEventOptions(newId: () => string): Omit<DomainEventsOptions, "now"> {
	return {
		newEventId: newId,
		checkPayload: (schema, payload) => schemaCheckForWire(schema)(payload).map(describeViolation),
	};
}
