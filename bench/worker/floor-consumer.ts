// The floor's queue consumer: one RPC back to the floor object per message, handled like the engine's consumer
// (the messages of a batch concurrently, acked one by one), so both pay the same delivery costs.
import type { BenchEnv, FloorMessage } from "./bench-env";

export async function consumeFloor(batch: MessageBatch<FloorMessage>, env: BenchEnv): Promise<void> {
	await Promise.all(
		batch.messages.map(async (message) => {
			try {
				const { run, hop } = message.body;
				await env.FLOOR.get(env.FLOOR.idFromName(run)).hop(hop);
				message.ack();
			} catch (error) {
				console.error(`floor hop failed: ${String(error)}`);
				message.retry({ delaySeconds: 1 });
			}
		}),
	);
}
