// Sends the domain events a task has recorded (its outbox) to the domain-events queue, in batches of at
// most 100, and records each batch's fate: the queue has it, or it stays owed for the alarm to send
// again. A send that fails never touches the step: publishing never fails a step.
import type { DomainEventMessage } from "../core/domain-events";
import { MAX_MESSAGES_PER_SEND_BATCH, SEND_RETRY_MS } from "../limits";
import { logEvent } from "../observability/log-event";
import type { SendContext } from "./dispatch-sender";
import type { QueueSender } from "./runtime-ports";

export async function sendDomainEvents(
	queue: QueueSender | undefined,
	context: SendContext,
	events: readonly DomainEventMessage[],
): Promise<void> {
	const { store, transact, alarm, now } = context;
	for (let i = 0; i < events.length; i += MAX_MESSAGES_PER_SEND_BATCH) {
		const batch = events.slice(i, i + MAX_MESSAGES_PER_SEND_BATCH);
		const ids = batch.map((e) => e.event_id);
		try {
			if (queue === undefined) throw new Error("no DOMAIN_EVENTS queue binding");
			await queue.sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
			transact(() => store.confirmDomainEvents(ids, now()));
		} catch (error) {
			logEvent("domain_event.send_failed", {
				task_uuid: batch[0]?.metadata.task_uuid,
				events: batch.length,
				error: String(error),
			});
			const retryAt = now() + SEND_RETRY_MS;
			transact(() => store.domainEventsSendFailed(ids, retryAt));
			alarm.arm(retryAt);
		}
	}
}
