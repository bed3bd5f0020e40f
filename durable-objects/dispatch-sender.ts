// Sends what a task object has saved as owed, in batches of at most 100 (the platform's limit), and
// records the outcome of each batch: confirmed, or left owed for the alarm to retry.
import { confirmDispatched, dispatchFailed } from "../src/core/due-work";
import type { StepMessage } from "../src/core/step-message";
import { MAX_MESSAGES_PER_SEND_BATCH } from "../src/limits";
import { logEvent } from "../src/observability/log-event";
import type { SqliteTaskStore } from "./sqlite-task-store";
import type { TaskAlarm } from "./task-alarm";

/** After a failed send, when the alarm tries again. */
export const SEND_RETRY_MS = 1_000;

export async function sendDispatches(
	queue: Queue,
	store: SqliteTaskStore,
	transact: <T>(operation: () => T) => T,
	alarm: TaskAlarm,
	dispatches: readonly StepMessage[],
): Promise<void> {
	for (let i = 0; i < dispatches.length; i += MAX_MESSAGES_PER_SEND_BATCH) {
		const batch = dispatches.slice(i, i + MAX_MESSAGES_PER_SEND_BATCH);
		try {
			await queue.sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
			transact(() => confirmDispatched(store, batch, 1, Date.now()));
		} catch (error) {
			logEvent("dispatch.send_failed", {
				task_uuid: batch[0]?.task_uuid,
				messages: batch.length,
				error: String(error),
			});
			alarm.arm(transact(() => dispatchFailed(store, batch, Date.now(), SEND_RETRY_MS)));
		}
	}
}
