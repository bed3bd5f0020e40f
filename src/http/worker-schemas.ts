// The bodies of the pull-worker routes (/v1/workers/...): what a remote worker sends and receives. Strict,
// like every request body here. A step's outcome is validated to the same shape a queue consumer reports
// over RPC (StepOutcome), so that the task object sees no difference between the two.
import { z } from "zod";
import { MAX_CALLABLE_LENGTH, MAX_NAMESPACE_LENGTH, MAX_TEXT_FIELD_LENGTH } from "../limits";
import {
	DEFAULT_LEASE_SECONDS,
	DEFAULT_POLL_WAIT_SECONDS,
	MAX_HANDLERS_PER_WORKER,
	MAX_LEASE_SECONDS,
	MAX_POLL_WAIT_SECONDS,
	MAX_RESULTS_PER_REPORT,
	MAX_STEPS_PER_POLL,
	MIN_LEASE_SECONDS,
} from "../pull/pull-limits";
import {
	expecting,
	intInRange,
	mapping,
	patternedName,
	strictObject,
	stringOfLength,
} from "../validation/field-schemas";
import { uuidParam } from "./path-params";

const namespace = () =>
	patternedName(/^[a-z0-9_]+$/, MAX_NAMESPACE_LENGTH, "a namespace").meta({
		description: "A namespace served by pull workers (PULL_NAMESPACES).",
	});
const handlers = () =>
	z
		.array(stringOfLength(1, MAX_CALLABLE_LENGTH, "a handler name"), {
			error: expecting(`a list of 1 to ${MAX_HANDLERS_PER_WORKER} handler names`),
		})
		.refine((list) => list.length >= 1 && list.length <= MAX_HANDLERS_PER_WORKER, {
			error: expecting(`a list of 1 to ${MAX_HANDLERS_PER_WORKER} handler names`),
		})
		.meta({ description: "The handlers (template `handler.callable`s) this worker runs." });
const workerId = () =>
	stringOfLength(1, MAX_TEXT_FIELD_LENGTH).optional().meta({ description: "Names the worker in the logs." });
const leaseIds = () =>
	z
		.array(stringOfLength(1, 100, "a lease id"), {
			error: expecting(`a list of 1 to ${MAX_RESULTS_PER_REPORT} lease ids`),
		})
		.refine((list) => list.length >= 1 && list.length <= MAX_RESULTS_PER_REPORT, {
			error: expecting(`a list of 1 to ${MAX_RESULTS_PER_REPORT} lease ids`),
		});
const leaseSeconds = () =>
	intInRange(MIN_LEASE_SECONDS, MAX_LEASE_SECONDS)
		.optional()
		.meta({ description: `How long each delivered step stays leased (default ${DEFAULT_LEASE_SECONDS}).` });

export const pollRequestSchema = strictObject(
	{
		namespace: namespace(),
		handlers: handlers(),
		worker_id: workerId(),
		max_steps: intInRange(1, MAX_STEPS_PER_POLL).optional().meta({ description: "Default 1." }),
		wait_seconds: intInRange(0, MAX_POLL_WAIT_SECONDS)
			.optional()
			.meta({
				description: `How long to hold the request when no step waits (default ${DEFAULT_POLL_WAIT_SECONDS}).`,
			}),
		lease_seconds: leaseSeconds(),
	},
	"a poll: {namespace, handlers, worker_id?, max_steps?, wait_seconds?, lease_seconds?}",
).meta({ id: "WorkerPoll" });

const stepErrorSchema = strictObject(
	{
		name: stringOfLength(1, MAX_TEXT_FIELD_LENGTH).optional(),
		error_type: stringOfLength(1, 100),
		error_code: stringOfLength(1, 200).nullable().optional(),
		message: z.string({ error: expecting("a string") }),
		retryable: z.boolean({ error: expecting("true or false") }),
		retry_after_seconds: z
			.number({ error: expecting("a number of seconds") })
			.min(0)
			.nullable()
			.optional(),
		metadata: mapping("a JSON object").optional(),
	},
	"an error: {error_type, message, retryable, error_code?, retry_after_seconds?, metadata?, name?}",
);

const executionTime = () => z.number({ error: expecting("a number of milliseconds") }).min(0);

export const stepOutcomeSchema = z
	.discriminatedUnion(
		"success",
		[
			strictObject(
				{
					success: z.literal(true),
					result: z.unknown(),
					metadata: mapping("a JSON object").optional(),
					execution_time_ms: executionTime(),
				},
				"a success: {success: true, result, metadata?, execution_time_ms}",
			),
			strictObject(
				{ success: z.literal(false), error: stepErrorSchema, execution_time_ms: executionTime() },
				"a failure: {success: false, error, execution_time_ms}",
			),
		],
		{ error: expecting("an outcome whose success is true or false") },
	)
	.meta({ id: "StepOutcome" });

export const reportRequestSchema = strictObject(
	{
		namespace: namespace(),
		handlers: handlers(),
		worker_id: workerId(),
		take_next: z
			.boolean({ error: expecting("true or false") })
			.optional()
			.meta({ description: "Hand this worker the few steps its results make ready (default false)." }),
		results: z
			.array(
				strictObject(
					{
						task_uuid: uuidParam("The step's task."),
						step_uuid: uuidParam("The step."),
						attempt: intInRange(1, 1_000_000),
						lease_id: stringOfLength(1, 100, "a lease id")
							.nullable()
							.meta({ description: "The lease it was delivered under; null for a handed-over step." }),
						outcome: stepOutcomeSchema,
					},
					"a result: {task_uuid, step_uuid, attempt, lease_id, outcome}",
				),
				{ error: expecting(`a list of 1 to ${MAX_RESULTS_PER_REPORT} results`) },
			)
			.refine((list) => list.length >= 1 && list.length <= MAX_RESULTS_PER_REPORT, {
				error: expecting(`a list of 1 to ${MAX_RESULTS_PER_REPORT} results`),
			}),
	},
	"a report: {namespace, handlers, results, take_next?, worker_id?}",
).meta({ id: "WorkerReport" });

export const heartbeatRequestSchema = strictObject(
	{ namespace: namespace(), lease_ids: leaseIds(), lease_seconds: leaseSeconds(), worker_id: workerId() },
	"a heartbeat: {namespace, lease_ids, lease_seconds?, worker_id?}",
).meta({ id: "WorkerHeartbeat" });

export const releaseRequestSchema = strictObject(
	{ namespace: namespace(), lease_ids: leaseIds(), worker_id: workerId() },
	"a release: {namespace, lease_ids, worker_id?}",
).meta({ id: "WorkerRelease" });

export const leaveRequestSchema = strictObject(
	{
		namespace: namespace(),
		worker_id: stringOfLength(1, MAX_TEXT_FIELD_LENGTH).meta({
			description: "The id the worker polled with: its polls still held end now, empty.",
		}),
	},
	"a leave: {namespace, worker_id}",
).meta({ id: "WorkerLeave" });

/** One step to run: everything a queue consumer gets when it claims it, plus its lease. */
export const pulledStepSchema = z
	.object({
		lease_id: z.string().nullable().meta({
			description:
				"Extend it (heartbeat) while running, send it back with the result; null for a handed-over step.",
		}),
		task_uuid: z.string(),
		step_uuid: z.string(),
		step_name: z.string(),
		namespace: z.string(),
		task_name: z.string(),
		task_version: z.string(),
		correlation_id: z.string(),
		callable: z.string().meta({ description: "The handler to run." }),
		initialization: z.record(z.string(), z.unknown()).meta({ description: "The handler's config." }),
		context: z.record(z.string(), z.unknown()).meta({ description: "The task's context." }),
		dependency_results: z
			.record(z.string(), z.unknown())
			.meta({ description: "The result of every ancestor step, by step name." }),
		attempt: z.number().int().meta({ description: "The fencing token: report it with the outcome." }),
		max_attempts: z.number().int(),
		timeout_seconds: z.number().int(),
		step_inputs: z.record(z.string(), z.unknown()).optional(),
		checkpoint: z.unknown().optional(),
	})
	.meta({ id: "PulledStep" });

export const pollResponseSchema = z
	.object({ steps: z.array(pulledStepSchema), lease_seconds: z.number().int() })
	.meta({ id: "WorkerPollResponse" });

export const reportResponseSchema = z
	.object({
		results: z.array(
			z.object({
				task_uuid: z.string(),
				step_uuid: z.string(),
				attempt: z.number().int(),
				recorded: z.enum(["applied", "dropped", "failed"]).meta({
					description:
						"applied: recorded; dropped: a duplicate, late or superseded attempt (ignored, never an error); failed: the task could not be reached (report again)",
				}),
				reason: z.string().nullable(),
				step_state: z.string().nullable(),
			}),
		),
		steps: z.array(pulledStepSchema).meta({ description: "Steps handed over to this worker (take_next)." }),
	})
	.meta({ id: "WorkerReportResponse" });

export const leasesResponseSchema = z
	.object({ held: z.array(z.string()), lost: z.array(z.string()) })
	.meta({ id: "WorkerLeases" });

export const releaseResponseSchema = z.object({ released: z.number().int() }).meta({ id: "WorkerReleased" });

export const leaveResponseSchema = z.object({ polls_ended: z.number().int() }).meta({ id: "WorkerLeft" });

export type PollRequest = z.output<typeof pollRequestSchema>;
export type ReportRequest = z.output<typeof reportRequestSchema>;
export type PulledStep = z.output<typeof pulledStepSchema>;
export type ReportResponse = z.output<typeof reportResponseSchema>;
