// A domain-event subscriber: reacts to the events tasker-edge's steps publish (payment.processed,
// order.validated, ...). Each message is one event in the shape of the reference's DomainEvent. Delivery
// is at least once, so a reaction with effects outside should be keyed by `event_id` (for instance an
// insert that ignores a duplicate key) rather than assume it runs once.
import type { DomainEventMessage } from "tasker-edge";

/** What this subscriber does per event name; anything else is acknowledged and ignored. */
export const reactions: Record<string, (event: DomainEventMessage) => Promise<void> | void> = {
	"payment.processed": (event) => {
		console.log(
			JSON.stringify({
				reaction: "payment.processed",
				event_id: event.event_id,
				task_uuid: event.metadata.task_uuid,
				correlation_id: event.metadata.correlation_id,
				payload: event.payload.payload,
			}),
		);
	},
};

function isDomainEvent(body: unknown): body is DomainEventMessage {
	if (typeof body !== "object" || body === null) return false;
	const event = body as Partial<DomainEventMessage>;
	return (
		typeof event.event_id === "string" &&
		typeof event.event_name === "string" &&
		typeof event.metadata === "object"
	);
}

export default {
	async queue(batch: MessageBatch<unknown>): Promise<void> {
		for (const message of batch.messages) {
			if (!isDomainEvent(message.body)) {
				// Not an event of ours: retrying cannot make it one.
				message.ack();
				continue;
			}
			try {
				await reactions[message.body.event_name]?.(message.body);
				message.ack();
			} catch {
				// The queue delivers it again later (the same event_id), up to max_retries.
				message.retry({ delaySeconds: 5 });
			}
		}
	},
} satisfies ExportedHandler;
