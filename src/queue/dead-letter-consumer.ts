// The dead-letter queue's consumer, in the orchestrator Worker: every step queue (the default one and
// each namespace's) sends a message it gave up on (max_retries deliveries, none acknowledged) here. It
// becomes a recorded failure of that step attempt in its task object, never a silent loss; the task
// object fences it by attempt, so a late or duplicate dead letter changes nothing. Acked per message.
import { logEvent } from "../observability/log-event";
import { type TaskObjectsEnv, taskObject } from "../task-object-stub";
import { countMalformed } from "./count-malformed";
import { parseStepMessage } from "./step-message-schema";

/** The one dead-letter queue every step queue names in wrangler.toml (`dead_letter_queue`). */
export const DEAD_LETTER_QUEUE = "tasker-steps-dlq";

/** Redelivery delays when the task object cannot be reached: its own retries (max_retries) then apply. */
const RETRY_DELAYS_SECONDS = [2, 5, 15, 30, 60] as const;

export function createDeadLetterConsumer() {
	return async (
		batch: MessageBatch<unknown>,
		env: TaskObjectsEnv & { TASK_INDEX?: D1Database },
	): Promise<void> => {
		const outcomes = await Promise.all(batch.messages.map((message) => consume(message, env)));
		const malformed = outcomes.filter((outcome) => outcome === "malformed").length;
		await countMalformed(env.TASK_INDEX, batch.queue, malformed);
	};
}

async function consume(message: Message<unknown>, env: TaskObjectsEnv): Promise<"malformed" | undefined> {
	const parsed = parseStepMessage(message.body);
	if (!parsed.ok) {
		// Nothing names a task to record it in: logged, counted (GET /metrics) and acked, never retried.
		logEvent("dead_letter.malformed", { message_id: message.id, problem: parsed.problem });
		message.ack();
		return "malformed";
	}
	const step = parsed.message;
	const fields = {
		task_uuid: step.task_uuid,
		step_name: step.step_name,
		namespace: step.namespace,
		attempt: step.attempt,
	};
	try {
		// The queue does not say how many deliveries the original message had: its max_retries did.
		const outcome = await taskObject(env, step.task_uuid).recordDeadLetter(step.step_uuid, step.attempt, {
			deliveries: null,
			queue: null,
		});
		if (outcome.kind === "applied") {
			logEvent("dead_letter.recorded", {
				...fields,
				step_state: outcome.stepState,
				task_status: outcome.taskStatus,
				dlq_entry_uuid: outcome.dlqEntryUuid,
			});
		} else {
			logEvent("dead_letter.dropped", { ...fields, reason: outcome.reason });
		}
		message.ack();
	} catch (error) {
		const delaySeconds =
			RETRY_DELAYS_SECONDS[Math.min(message.attempts, RETRY_DELAYS_SECONDS.length) - 1] ?? 2;
		logEvent("dead_letter.record_failed", { ...fields, error: String(error), retry_in_s: delaySeconds });
		message.retry({ delaySeconds });
	}
}
