// The queue consumer: claims each step attempt from its task object, runs its handler, reports the
// outcome back over RPC, then acks. A batch's messages are grouped by task (one claim call per task,
// reports coalesced), handled concurrently and acked one by one, so one bad message never fails the
// others of its batch. The queue's own retry is kept for infrastructure
// faults (the task object could not be reached); step retries are the task object's decision.

import type { StepMessage } from "../core/step-message";
import type { StepOutcome, StepRunInput } from "../core/step-outcome";
import { runStepHandler } from "../handler-api/run-step-handler";
import { logEvent } from "../observability/log-event";
import type { HandlerRegistry } from "../registry/handler-registry";
import { type TaskObjectApi, type TaskObjectsEnv, taskObject } from "../task-object-stub";
import { countMalformed } from "./count-malformed";
import { parseStepMessage } from "./step-message-schema";
import { TaskReporter } from "./task-reporter";

/** Redelivery delay after an infrastructure fault, growing with the delivery count. */
const INFRA_RETRY_DELAYS_SECONDS = [1, 2, 5, 10, 30] as const;
/** A chain run in one invocation stops taking steps after this many, or after this long. */
export const MAX_STEPS_PER_INVOCATION = 50;
export const MAX_CHAIN_MILLISECONDS = 5_000;

/**
 * The queue handler of a Worker that runs steps: the orchestrator's own (its default queue) or a
 * handler Worker of one namespace (that namespace's queue). It needs only the TASKS binding.
 */
export function createStepConsumer(handlers: HandlerRegistry) {
	// Sent with every report, so that the task object hands this consumer only steps it can run.
	const handlerNames = handlers.names();
	// TASK_INDEX (the metrics' D1) is optional: a handler Worker of one namespace may not bind it.
	return async (
		batch: MessageBatch<unknown>,
		env: TaskObjectsEnv & { TASK_INDEX?: D1Database },
	): Promise<void> => {
		const byTask = new Map<string, Array<{ message: Message<unknown>; step: StepMessage }>>();
		let malformed = 0;
		for (const message of batch.messages) {
			const parsed = parseStepMessage(message.body);
			if (!parsed.ok) {
				logEvent("message.malformed", {
					message_id: message.id,
					queue: batch.queue,
					problem: parsed.problem,
				});
				message.ack();
				malformed += 1;
				continue;
			}
			const group = byTask.get(parsed.message.task_uuid) ?? [];
			group.push({ message, step: parsed.message });
			byTask.set(parsed.message.task_uuid, group);
		}
		await Promise.all([
			...[...byTask].map(([taskUuid, group]) => consumeTask(env, taskUuid, group, handlers, handlerNames)),
			countMalformed(env.TASK_INDEX, batch.queue, malformed),
		]);
	};
}

/** One task's messages of a batch: claimed in one call, run side by side, reported through one reporter. */
async function consumeTask(
	env: TaskObjectsEnv,
	taskUuid: string,
	group: ReadonlyArray<{ message: Message<unknown>; step: StepMessage }>,
	handlers: HandlerRegistry,
	handlerNames: readonly string[],
): Promise<void> {
	const task = taskObject(env, taskUuid);
	let claims: Awaited<ReturnType<TaskObjectApi["claimMany"]>>;
	try {
		claims = await task.claimMany(
			group.map(({ step }) => ({ stepUuid: step.step_uuid, attempt: step.attempt })),
		);
	} catch (error) {
		for (const { message, step } of group) retryLater(message, { ...identifyMessage(step), error });
		return;
	}
	const reporter = new TaskReporter(task, handlerNames);
	// Every claimed step is about to run: its siblings wait for it, not for a tick, before reporting.
	for (const claim of claims) if (claim.kind === "run") reporter.begin();
	// Shared by every branch of this invocation, so that it never hoards a long DAG's CPU.
	const budget = { steps: 0, until: Date.now() + MAX_CHAIN_MILLISECONDS };
	await Promise.all(
		group.map(({ message, step }, i) => {
			const claim = claims[i];
			if (!claim || claim.kind === "dropped") {
				logEvent("step.claim_dropped", { ...identifyMessage(step), reason: claim?.reason ?? "no reply" });
				message.ack();
				return undefined;
			}
			return runChain(claim.input, reporter, handlers, message, budget);
		}),
	);
}

/**
 * Runs a claimed step, then the steps its task object hands back, side by side: a chain or a small
 * fan-out goes on here without a queue hop. The message is acked as soon as its own step's result is
 * recorded; a handed-over step stays owed to the queue until its timeout, so a crash loses nothing.
 */
async function runChain(
	first: StepRunInput,
	reporter: TaskReporter,
	handlers: HandlerRegistry,
	message: Message<unknown>,
	budget: { steps: number; until: number },
): Promise<void> {
	const run = async (current: StepRunInput): Promise<void> => {
		budget.steps += 1;
		const outcome = await execute(current, handlers);
		const takeNext = budget.steps < MAX_STEPS_PER_INVOCATION && Date.now() < budget.until;
		let reply: Awaited<ReturnType<TaskReporter["report"]>>;
		try {
			reply = await reporter.report(current.step_uuid, current.attempt, outcome, takeNext);
		} catch (error) {
			// Only the message's own step is redelivered; a handed-over step falls back to the queue.
			if (current === first) retryLater(message, { ...identify(current), error });
			else logEvent("step.report_failed", { ...identify(current), error: String(error) });
			return;
		}
		logEvent(outcome.success ? "step.succeeded" : "step.failed", {
			...identify(current),
			duration_ms: outcome.execution_time_ms,
			...(outcome.success ? {} : { error_type: outcome.error.error_type, message: outcome.error.message }),
			recorded: reply.kind,
			// What the task object decided: complete, waiting_for_retry (a retry is scheduled), error.
			step_state: reply.kind === "applied" ? reply.stepState : null,
			handed_over: current !== first,
		});
		if (current === first) message.ack();
		if (reply.kind !== "applied") return;
		// Counted before any starts, so that siblings finishing together report in one call.
		for (const _ of reply.next) reporter.begin();
		await Promise.all(reply.next.map(run));
	};
	// Its begin() was counted by the caller, with its siblings.
	await run(first);
}

const identifyMessage = (step: StepMessage) => ({
	task_uuid: step.task_uuid,
	step_name: step.step_name,
	attempt: step.attempt,
});

const identify = (input: StepRunInput) => ({
	task_uuid: input.task_uuid,
	step_name: input.step_name,
	correlation_id: input.correlation_id,
	attempt: input.attempt,
});

function retryLater(message: Message<unknown>, fields: Record<string, unknown> & { error: unknown }): void {
	const delaySeconds =
		INFRA_RETRY_DELAYS_SECONDS[Math.min(message.attempts, INFRA_RETRY_DELAYS_SECONDS.length) - 1] ?? 1;
	logEvent("step.report_failed", { ...fields, error: String(fields.error), retry_in_s: delaySeconds });
	message.retry({ delaySeconds });
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
