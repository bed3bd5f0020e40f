// The queue consumer: claims each step attempt from its task object, runs its handler, reports the
// outcome back over RPC, then acks. Messages are handled concurrently and acked one by one, so one
// bad message never fails the others of its batch. The queue's own retry is kept for infrastructure
// faults (the task object could not be reached); step retries are the task object's decision.
import type { StepOutcome, StepRunInput } from "../core/step-outcome";
import { runStepHandler } from "../handler-api/run-step-handler";
import { logEvent } from "../observability/log-event";
import type { HandlerRegistry } from "../registry/handler-registry";
import { taskObject } from "../task-object-stub";
import { parseStepMessage } from "./step-message-schema";

/** Redelivery delay after an infrastructure fault, growing with the delivery count. */
const INFRA_RETRY_DELAYS_SECONDS = [1, 2, 5, 10, 30] as const;

export function createStepConsumer(handlers: HandlerRegistry) {
	return async (batch: MessageBatch<unknown>, env: Env): Promise<void> => {
		await Promise.all(batch.messages.map((message) => consume(message, env, handlers)));
	};
}

async function consume(message: Message<unknown>, env: Env, handlers: HandlerRegistry): Promise<void> {
	const parsed = parseStepMessage(message.body);
	if (!parsed.ok) {
		logEvent("message.malformed", { message_id: message.id, problem: parsed.problem });
		message.ack();
		return;
	}
	const { task_uuid, step_uuid, step_name, attempt } = parsed.message;
	const task = taskObject(env, task_uuid);
	try {
		const claim = await task.claim(step_uuid, attempt);
		if (claim.kind === "dropped") {
			logEvent("step.claim_dropped", { task_uuid, step_name, attempt, reason: claim.reason });
			message.ack();
			return;
		}
		const outcome = await execute(claim.input, handlers);
		const reply = await task.report(step_uuid, attempt, outcome);
		logEvent(outcome.success ? "step.succeeded" : "step.failed", {
			task_uuid,
			step_name,
			correlation_id: claim.input.correlation_id,
			attempt,
			duration_ms: outcome.execution_time_ms,
			...(outcome.success ? {} : { error_type: outcome.error.error_type, message: outcome.error.message }),
			recorded: reply.kind,
		});
		message.ack();
	} catch (error) {
		const delaySeconds =
			INFRA_RETRY_DELAYS_SECONDS[Math.min(message.attempts, INFRA_RETRY_DELAYS_SECONDS.length) - 1];
		logEvent("step.report_failed", {
			task_uuid,
			step_name,
			attempt,
			error: String(error),
			retry_in_s: delaySeconds,
		});
		message.retry({ delaySeconds: delaySeconds ?? 1 });
	}
}

async function execute(input: StepRunInput, handlers: HandlerRegistry): Promise<StepOutcome> {
	const handler = handlers.get(input.callable);
	if (handler) return runStepHandler(handler, input);
	// Templates are checked against the registry at build time; this guards a consumer deployed apart.
	return {
		success: false,
		execution_time_ms: 0,
		error: {
			name: "HandlerNotFound",
			error_type: "handler_not_found",
			error_code: "HANDLER_NOT_FOUND",
			message: `no handler registered as "${input.callable}" in this consumer`,
			retryable: false,
			retry_after_seconds: null,
			metadata: {},
		},
	};
}
