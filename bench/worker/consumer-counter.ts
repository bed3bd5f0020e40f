// Counts the engine's queue consumer invocations (one billed Workers request each) and the messages they carry.
// In memory of the bench worker's isolate: wrangler dev runs one, so the counts cover every delivery.

export interface ConsumerCounts {
	invocations: number;
	messages: number;
}

const counts: ConsumerCounts = { invocations: 0, messages: 0 };

export function countConsumerBatch(batch: MessageBatch<unknown>): void {
	counts.invocations += 1;
	counts.messages += batch.messages.length;
}

export function consumerCounts(): ConsumerCounts {
	return { ...counts };
}
