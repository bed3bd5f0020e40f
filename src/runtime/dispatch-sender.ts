// Sends what a task has saved as owed to its namespace's queue (or pull namespace's work queue), in
// batches of at most 100 (the platform's limit), and records the outcome of each batch: confirmed (by
// the task's next transaction), or left owed for the alarm to retry.
import { dispatchFailed } from "../core/due-work";
import type { StepMessage } from "../core/step-message";
import { MAX_MESSAGES_PER_SEND_BATCH, SEND_RETRY_MS } from "../limits";
import { logEvent } from "../observability/log-event";
import type { QueueSender } from "./runtime-ports";
import type { RuntimeStore } from "./runtime-store";
import type { TaskAlarm } from "./task-alarm";

export interface SendContext {
	store: RuntimeStore;
	transact: <T>(operation: () => T) => T;
	/** Records a batch the queue accepted with the next transaction, not a write of its own. */
	confirmLater: (batch: readonly StepMessage[], at: number) => void;
	alarm: TaskAlarm;
	now: () => number;
}

export async function sendDispatches(
	queueFor: (namespace: string) => QueueSender,
	context: SendContext,
	dispatches: readonly StepMessage[],
): Promise<void> {
	const { store, transact, confirmLater, alarm, now } = context;
	for (const batch of batchesByNamespace(dispatches)) {
		try {
			// Inside the try: a namespace whose queue cannot be resolved is a failed send, retried by the alarm.
			const queue = queueFor(batch[0]?.namespace ?? "");
			await queue.sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
			confirmLater(batch, now());
		} catch (error) {
			logEvent("dispatch.send_failed", {
				task_uuid: batch[0]?.task_uuid,
				namespace: batch[0]?.namespace,
				messages: batch.length,
				error: String(error),
			});
			alarm.arm(transact(() => dispatchFailed(store, batch, now(), SEND_RETRY_MS)));
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
