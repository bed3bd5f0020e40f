// The queue consumer's sequencing, apart from the platform: claims each step attempt from its task
// object, runs its handler, reports the outcome back, then acks. A batch's messages are grouped by task
// (one claim call per task, reports coalesced), handled concurrently and acked one by one, so one bad
// message never fails the others of its batch. The queue's own retry is kept for infrastructure faults
// (the task object could not be reached); step retries are the task object's decision. The Workers
// consumer (step-consumer.ts) and the chaos suite both drive this same code.
import type { StepMessage } from "../core/step-message";
import { completeHandedInput, handlerInput, type StepOutcome, type StepRunInput } from "../core/step-outcome";
import { CONSUMER_RETRY_DELAYS_SECONDS, MAX_CHAIN_MILLISECONDS, MAX_STEPS_PER_INVOCATION } from "../limits";
import { logEvent } from "../observability/log-event";
import type { TaskObjectApi } from "../runtime/task-object-api";
import { parseStepMessage } from "./step-message-schema";
import { type Defer, TaskReporter } from "./task-reporter";

/** The part of a queue message the consumer uses (a Workers `Message` is one). */
export interface ConsumedMessage {
	readonly id: string;
	readonly body: unknown;
	/** Deliveries so far, this one included. */
	readonly attempts: number;
	ack(): void;
	retry(options?: { delaySeconds?: number }): void;
}

export interface ConsumerPorts {
	/** The task object that owns a task: its claim and report calls. */
	taskObject(taskUuid: string): Pick<TaskObjectApi, "claimMany" | "reportMany">;
	/** Runs a claimed step's handler; never throws (a handler's failure is an outcome). */
	runStep(input: StepRunInput): Promise<StepOutcome>;
	/** The handlers this consumer can run: sent with each report, so it is handed only steps it can run. */
	handlerNames?: readonly string[];
	now(): number;
	defer?: Defer;
	/** How far one invocation runs a chain of handed-over steps (defaults: MAX_STEPS_PER_INVOCATION, MAX_CHAIN_MILLISECONDS). */
	chainBudget?: { steps: number; milliseconds: number };
}

/** Consumes one batch; answers how many messages were malformed (acked and dropped). */
export async function consumeStepBatch(
	messages: readonly ConsumedMessage[],
	queue: string,
	ports: ConsumerPorts,
): Promise<{ malformed: number }> {
	const byTask = new Map<string, Array<{ message: ConsumedMessage; step: StepMessage }>>();
	let malformed = 0;
	for (const message of messages) {
		const parsed = parseStepMessage(message.body);
		if (!parsed.ok) {
			logEvent("message.malformed", { message_id: message.id, queue, problem: parsed.problem });
			message.ack();
			malformed += 1;
			continue;
		}
		const group = byTask.get(parsed.message.task_uuid) ?? [];
		group.push({ message, step: parsed.message });
		byTask.set(parsed.message.task_uuid, group);
	}
	await Promise.all([...byTask].map(([taskUuid, group]) => consumeTask(taskUuid, group, ports)));
	return { malformed };
}

/** One task's messages of a batch: claimed in one call, run side by side, reported through one reporter. */
async function consumeTask(
	taskUuid: string,
	group: ReadonlyArray<{ message: ConsumedMessage; step: StepMessage }>,
	ports: ConsumerPorts,
): Promise<void> {
	const task = ports.taskObject(taskUuid);
	let claims: Awaited<ReturnType<TaskObjectApi["claimMany"]>>;
	try {
		claims = await task.claimMany(
			group.map(({ step }) => ({ stepUuid: step.step_uuid, attempt: step.attempt })),
		);
	} catch (error) {
		for (const { message, step } of group) retryLater(message, { ...identifyMessage(step), error });
		return;
	}
	const reporter = new TaskReporter(task, ports.handlerNames, ports.defer);
	// Every claimed step is about to run: its siblings wait for it, not for a tick, before reporting.
	for (const claim of claims) if (claim.kind === "run") reporter.begin();
	// Shared by every branch of this invocation, so that it never hoards a long DAG's CPU.
	const limits = ports.chainBudget ?? {
		steps: MAX_STEPS_PER_INVOCATION,
		milliseconds: MAX_CHAIN_MILLISECONDS,
	};
	const budget = { steps: 0, maxSteps: limits.steps, until: ports.now() + limits.milliseconds };
	await Promise.all(
		group.map(({ message, step }, i) => {
			const claim = claims[i];
			if (!claim || claim.kind === "dropped") {
				logEvent("step.claim_dropped", { ...identifyMessage(step), reason: claim?.reason ?? "no reply" });
				message.ack();
				return undefined;
			}
			return runChain(claim.input, reporter, ports, message, budget);
		}),
	);
}

/**
 * Runs a claimed step, then the steps its task object hands back, side by side: a chain or a small
 * fan-out goes on here without a queue hop. Each report gives back its input's `inputs_token`, and a
 * step handed over with `inherits_inputs` gets its inputs completed from the reported step's. The
 * message is acked as soon as its own step's result is recorded; a handed-over step stays owed to the
 * queue until its timeout, so a crash loses nothing.
 */
async function runChain(
	first: StepRunInput,
	reporter: TaskReporter,
	ports: ConsumerPorts,
	message: ConsumedMessage,
	budget: { steps: number; maxSteps: number; until: number },
): Promise<void> {
	const run = async (current: StepRunInput): Promise<void> => {
		budget.steps += 1;
		const outcome = await ports.runStep(handlerInput(current));
		const takeNext = budget.steps < budget.maxSteps && ports.now() < budget.until;
		let reply: Awaited<ReturnType<TaskReporter["report"]>>;
		try {
			reply = await reporter.report(
				current.step_uuid,
				current.attempt,
				outcome,
				takeNext,
				current.inputs_token,
			);
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
		// A step handed over with only this one's result takes the rest of its inputs from this one's.
		await Promise.all(reply.next.map((handed) => run(completeHandedInput(handed, current))));
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

function retryLater(message: ConsumedMessage, fields: Record<string, unknown> & { error: unknown }): void {
	const delays = CONSUMER_RETRY_DELAYS_SECONDS;
	const delaySeconds = delays[Math.min(message.attempts, delays.length) - 1] ?? 1;
	logEvent("step.report_failed", { ...fields, error: String(fields.error), retry_in_s: delaySeconds });
	message.retry({ delaySeconds });
}
