// The Worker's side of the pull protocol: what the queue consumer does around a handler (claim, report,
// ack), done for a remote worker over HTTP. The task object's claim and report are the very same RPCs
// the consumer calls, so fencing, deadlines and the hand-over are the engine's, not copied here.
import { handlerInput, type StepOutcome, type StepRunInput } from "../core/step-outcome";
import type { PollRequest, PulledStep, ReportRequest, ReportResponse } from "../http/worker-schemas";
import { logEvent } from "../observability/log-event";
import { type TaskObjectsEnv, taskObject } from "../task-object-stub";
import { DEFAULT_LEASE_SECONDS, DEFAULT_POLL_WAIT_SECONDS, MAX_DELIVERIES } from "./pull-limits";
import { type WorkQueuesEnv, workQueue } from "./work-queue-stub";

export type PullEnv = TaskObjectsEnv & WorkQueuesEnv;

/**
 * Leases steps of the namespace for the worker's handlers (holding the request while none waits), and
 * claims each from its task object. A claim the task object refuses (a duplicate, a finished or
 * superseded attempt) is acked and never reaches the worker; one that cannot be made is released. A
 * message delivered more than MAX_DELIVERIES times is recorded as a dead letter instead, as a queue's.
 */
export async function pollSteps(
	env: PullEnv,
	request: PollRequest,
): Promise<{ steps: PulledStep[]; lease_seconds: number }> {
	const leaseSeconds = request.lease_seconds ?? DEFAULT_LEASE_SECONDS;
	const queue = workQueue(env, request.namespace);
	const leases = await queue.lease({
		handlers: request.handlers,
		max: request.max_steps ?? 1,
		waitMs: (request.wait_seconds ?? DEFAULT_POLL_WAIT_SECONDS) * 1_000,
		leaseMs: leaseSeconds * 1_000,
		workerId: request.worker_id,
	});
	const byTask = new Map<string, typeof leases>();
	const exhausted = leases.filter((lease) => lease.deliveries > MAX_DELIVERIES);
	for (const lease of leases) {
		if (lease.deliveries > MAX_DELIVERIES) continue;
		const group = byTask.get(lease.message.task_uuid) ?? [];
		group.push(lease);
		byTask.set(lease.message.task_uuid, group);
	}
	const steps: PulledStep[] = [];
	const toAck: string[] = [];
	const toRelease: string[] = [];
	await Promise.all([
		...exhausted.map(async (lease) => {
			const { message } = lease;
			try {
				const outcome = await taskObject(env, message.task_uuid).recordDeadLetter(
					message.step_uuid,
					message.attempt,
					{ deliveries: lease.deliveries - 1, queue: `work-queue:${request.namespace}` },
				);
				logEvent("pull.delivery_exhausted", {
					task_uuid: message.task_uuid,
					step_name: message.step_name,
					attempt: message.attempt,
					recorded: outcome.kind,
				});
				toAck.push(lease.lease_id);
			} catch (error) {
				logEvent("pull.dead_letter_failed", { task_uuid: message.task_uuid, error: String(error) });
				toRelease.push(lease.lease_id);
			}
		}),
		...[...byTask].map(async ([taskUuid, group]) => {
			let claims: Awaited<ReturnType<ReturnType<typeof taskObject>["claimMany"]>>;
			try {
				claims = await taskObject(env, taskUuid).claimMany(
					group.map((l) => ({ stepUuid: l.message.step_uuid, attempt: l.message.attempt })),
				);
			} catch (error) {
				logEvent("pull.claim_failed", { task_uuid: taskUuid, error: String(error) });
				toRelease.push(...group.map((l) => l.lease_id));
				return;
			}
			group.forEach((lease, i) => {
				const claim = claims[i];
				if (claim?.kind === "run") {
					steps.push(pulledStep(claim.input, lease.lease_id));
					return;
				}
				logEvent("step.claim_dropped", {
					task_uuid: taskUuid,
					step_name: lease.message.step_name,
					attempt: lease.message.attempt,
					reason: claim?.reason ?? "no reply",
					pull: true,
				});
				toAck.push(lease.lease_id);
			});
		}),
	]);
	if (toAck.length > 0) await queue.ack(toAck);
	if (toRelease.length > 0) await queue.release(toRelease);
	return { steps, lease_seconds: leaseSeconds };
}

/**
 * Records a worker's outcomes in their task objects (one call per task, as the consumer's reporter
 * does), then acks the leases of those the task object has decided on, applied or dropped. An outcome
 * whose task could not be reached keeps its lease: the worker may report again, or the step is
 * delivered again when the lease runs out.
 */
export async function reportResults(env: PullEnv, request: ReportRequest): Promise<ReportResponse> {
	const byTask = new Map<string, Array<{ item: ReportRequest["results"][number]; index: number }>>();
	request.results.forEach((item, index) => {
		const group = byTask.get(item.task_uuid) ?? [];
		group.push({ item, index });
		byTask.set(item.task_uuid, group);
	});
	const results: ReportResponse["results"] = new Array(request.results.length);
	const steps: PulledStep[] = [];
	const toAck: string[] = [];
	const takeNext = request.take_next ?? false;
	await Promise.all(
		[...byTask].map(async ([taskUuid, group]) => {
			try {
				const replies = await taskObject(env, taskUuid).reportMany(
					group.map(({ item }) => ({
						stepUuid: item.step_uuid,
						attempt: item.attempt,
						outcome: toStepOutcome(item.outcome),
						takeNext,
					})),
					{ handlers: request.handlers },
				);
				group.forEach(({ item, index }, i) => {
					const reply = replies[i];
					const base = { task_uuid: item.task_uuid, step_uuid: item.step_uuid, attempt: item.attempt };
					if (!reply) {
						results[index] = { ...base, recorded: "failed", reason: "no reply", step_state: null };
						return;
					}
					if (item.lease_id !== null) toAck.push(item.lease_id);
					if (reply.kind === "dropped") {
						results[index] = { ...base, recorded: "dropped", reason: reply.reason, step_state: null };
						return;
					}
					results[index] = { ...base, recorded: "applied", reason: null, step_state: reply.stepState };
					for (const next of reply.next) steps.push(pulledStep(next, null));
				});
			} catch (error) {
				logEvent("pull.report_failed", { task_uuid: taskUuid, error: String(error) });
				for (const { item, index } of group) {
					results[index] = {
						task_uuid: item.task_uuid,
						step_uuid: item.step_uuid,
						attempt: item.attempt,
						recorded: "failed",
						reason: "the task could not be reached; report again",
						step_state: null,
					};
				}
			}
		}),
	);
	if (toAck.length > 0) await workQueue(env, request.namespace).ack(toAck);
	return { results, steps };
}

function pulledStep(input: StepRunInput, leaseId: string | null): PulledStep {
	return { lease_id: leaseId, ...handlerInput(input) };
}

/** The wire outcome with its optional fields filled, exactly as the queue consumer's runStepHandler builds it. */
function toStepOutcome(outcome: ReportRequest["results"][number]["outcome"]): StepOutcome {
	if (outcome.success) {
		return {
			success: true,
			result: outcome.result === undefined ? null : outcome.result,
			metadata: outcome.metadata ?? {},
			execution_time_ms: outcome.execution_time_ms,
		};
	}
	const { error } = outcome;
	return {
		success: false,
		execution_time_ms: outcome.execution_time_ms,
		error: {
			name: error.name ?? "RemoteWorkerError",
			error_type: error.error_type,
			error_code: error.error_code ?? null,
			message: error.message,
			retryable: error.retryable,
			retry_after_seconds: error.retry_after_seconds ?? null,
			metadata: error.metadata ?? {},
		},
	};
}
