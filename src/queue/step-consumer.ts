// The Workers queue handler that runs steps: the orchestrator's own (its default queue) or a handler
// Worker of one namespace (that namespace's queue). It gives the consumer's sequencing
// (consume-step-batch.ts) the TASKS binding, the handler registry and the wall clock, and counts
// malformed messages in D1.
import type { StepOutcome, StepRunInput } from "../core/step-outcome";
import { runStepHandler } from "../handler-api/run-step-handler";
import { configureLogging } from "../observability/log-event";
import type { HandlerRegistry } from "../registry/handler-registry";
import { type TaskObjectsEnv, taskObject } from "../task-object-stub";
import { consumeStepBatch } from "./consume-step-batch";
import { countMalformed } from "./count-malformed";

export function createStepConsumer(handlers: HandlerRegistry) {
	// Sent with every report, so that the task object hands this consumer only steps it can run.
	const handlerNames = handlers.names();
	// TASK_INDEX (the metrics' D1) is optional: a handler Worker of one namespace may not bind it.
	return async (
		batch: MessageBatch<unknown>,
		env: TaskObjectsEnv & { TASK_INDEX?: D1Database },
	): Promise<void> => {
		// A handler Worker of one namespace has no other entry that would apply TASKER_LOG_LEVEL.
		configureLogging(env);
		const { malformed } = await consumeStepBatch(batch.messages, batch.queue, {
			taskObject: (taskUuid) => taskObject(env, taskUuid),
			runStep: (input) => execute(input, handlers),
			handlerNames,
			now: Date.now,
		});
		await countMalformed(env.TASK_INDEX, batch.queue, malformed);
	};
}

async function execute(input: StepRunInput, handlers: HandlerRegistry): Promise<StepOutcome> {
	const handler = handlers.get(input.callable);
	if (handler) return runStepHandler(handler, input);
	// Templates are checked against the registry at build time; this guards a consumer deployed apart,
	// or a namespace whose queue reaches a consumer without its handlers (NAMESPACE_QUEUES).
	return {
		success: false,
		execution_time_ms: 0,
		error: {
			name: "HandlerNotFound",
			error_type: "handler_not_found",
			error_code: "HANDLER_NOT_FOUND",
			message: `no handler registered as "${input.callable}" in this consumer (namespace "${input.namespace}": is it routed to the Worker that has it? see NAMESPACE_QUEUES)`,
			retryable: false,
			retry_after_seconds: null,
			metadata: {},
		},
	};
}
