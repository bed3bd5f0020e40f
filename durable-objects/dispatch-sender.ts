// Sends what a task object has saved as owed, to its namespace's queue (or pull namespace's work queue), in batches of at most 100 (the
// platform's limit), and records the outcome of each batch: confirmed, or left owed for the alarm to retry.
import { confirmDispatched, dispatchFailed } from "../src/core/due-work";
import type { StepMessage } from "../src/core/step-message";
import { MAX_MESSAGES_PER_SEND_BATCH } from "../src/limits";
import { logEvent } from "../src/observability/log-event";
import type { StepSender } from "../src/queue/namespace-queues";
import type { SqliteTaskStore } from "./sqlite-task-store";
import type { TaskAlarm } from "./task-alarm";

/** After a failed send, when the alarm tries again. */
export const SEND_RETRY_MS = 1_000;

export async function sendDispatches(
	queueFor: (namespace: string) => StepSender,
	store: SqliteTaskStore,
	transact: <T>(operation: () => T) => T,
	alarm: TaskAlarm,
	dispatches: readonly StepMessage[],
): Promise<void> {
	for (const batch of batchesByNamespace(dispatches)) {
		try {
			// Inside the try: a namespace whose queue cannot be resolved is a failed send, retried by the alarm.
			const queue = queueFor(batch[0]?.namespace ?? "");
			await queue.sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
			transact(() => confirmDispatched(store, batch, 1, Date.now()));
		} catch (error) {
			logEvent("dispatch.send_failed", {
				task_uuid: batch[0]?.task_uuid,
				namespace: batch[0]?.namespace,
				messages: batch.length,
				error: String(error),
			});
			alarm.arm(transact(() => dispatchFailed(store, batch, Date.now(), SEND_RETRY_MS)));
		}
	}
}

/** Batches of at most 100 messages of one namespace each (the steps of one task share its namespace). */
function batchesByNamespace(dispatches: readonly StepMessage[]): StepMessage[][] {
	const byNamespace = new Map<string, StepMessage[]>();
	for (const message of dispatches) {
		const group = byNamespace.get(message.namespace) ?? [];
		group.push(message);
		byNamespace.set(message.namespace, group);
	}
	const batches: StepMessage[][] = [];
	for (const group of byNamespace.values()) {
		for (let i = 0; i < group.length; i += MAX_MESSAGES_PER_SEND_BATCH) {
			batches.push(group.slice(i, i + MAX_MESSAGES_PER_SEND_BATCH));
		}
	}
	return batches;
}
