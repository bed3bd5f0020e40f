// The one way to reach a pull namespace's work queue: one Durable Object per namespace, named by it.
import type { StepMessage } from "../core/step-message";
import type { WorkQueueApi } from "./work-queue-api";

export type { WorkQueueApi } from "./work-queue-api";

export interface WorkQueuesEnv {
	WORK_QUEUES: Pick<DurableObjectNamespace, "idFromName" | "get">;
}

export function workQueue(env: WorkQueuesEnv, namespace: string): WorkQueueApi {
	return env.WORK_QUEUES.get(env.WORK_QUEUES.idFromName(namespace)) as unknown as WorkQueueApi;
}

/**
 * A pull namespace's work queue with the one method of a queue producer the task object sends with
 * (`sendBatch`): the task object's outbox, re-sends and fencing stay exactly as for a real queue.
 */
export function workQueueSender(
	env: WorkQueuesEnv,
	namespace: string,
): { sendBatch(messages: Iterable<MessageSendRequest<unknown>>): Promise<unknown> } {
	return {
		sendBatch: (messages) =>
			workQueue(env, namespace).enqueue([...messages].map((m) => m.body as StepMessage)),
	};
}
