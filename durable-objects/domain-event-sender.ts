// Sends the domain events a task object has recorded (its outbox) to the DOMAIN_EVENTS queue, in
// batches of at most 100, and records each batch's fate: the queue has it, or it stays owed for the
// alarm to send again. A send that fails never touches the step: publishing never fails a step.
import type { DomainEventMessage } from "../src/core/domain-events";
import { MAX_MESSAGES_PER_SEND_BATCH } from "../src/limits";
import { logEvent } from "../src/observability/log-event";
import { SEND_RETRY_MS } from "./dispatch-sender";
import type { SqliteTaskStore } from "./sqlite-task-store";
import type { TaskAlarm } from "./task-alarm";

export async function sendDomainEvents(
	queue: Queue | undefined,
	store: SqliteTaskStore,
	transact: <T>(operation: () => T) => T,
	alarm: TaskAlarm,
	events: readonly DomainEventMessage[],
): Promise<void> {
	for (let i = 0; i < events.length; i += MAX_MESSAGES_PER_SEND_BATCH) {
		const batch = events.slice(i, i + MAX_MESSAGES_PER_SEND_BATCH);
		const ids = batch.map((e) => e.event_id);
		try {
			if (queue === undefined) throw new Error("no DOMAIN_EVENTS queue binding");
			await queue.sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
			transact(() => store.confirmDomainEvents(ids, Date.now()));
		} catch (error) {
			logEvent("domain_event.send_failed", {
				task_uuid: batch[0]?.metadata.task_uuid,
				events: batch.length,
				error: String(error),
			});
			const retryAt = Date.now() + SEND_RETRY_MS;
			transact(() => store.domainEventsSendFailed(ids, retryAt));
			alarm.arm(retryAt);
		}
	}
}
