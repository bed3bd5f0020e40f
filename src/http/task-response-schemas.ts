// The task, step, transition and task-list bodies as zod schemas, for the OpenAPI spec and the client's types.
// The views themselves are built in src/core/task-views.ts; the checks at the end fail to compile if a view
// and its schema ever say different things.
import { z } from "zod";
import { StepState, TaskState } from "../core/states";
import type { StepView, TaskView, TransitionView } from "../core/task-views";
import { STEP_TYPES } from "../templates/step-types";
import type { Assert, Same } from "../validation/same-type";
import type { TaskSummaryView } from "./routes/task-list";

const uuid = () => z.string().meta({ format: "uuid" });
/** ISO 8601; null where the moment has not come (or, for the record's own times, never). */
const time = () => z.string().nullable().meta({ format: "date-time" });
const count = () => z.number().int().nonnegative();
const jsonObject = (description: string) => z.record(z.string(), z.unknown()).meta({ description });

export const taskStateSchema = z.enum(TaskState).meta({ id: "TaskState" });
export const stepStateSchema = z.enum(StepState).meta({ id: "StepState" });

export const taskSchema = z
	.object({
		task_uuid: uuid(),
		name: z.string(),
		namespace: z.string(),
		version: z.string(),
		status: taskStateSchema,
		execution_status: z.enum([
			"has_ready_steps",
			"processing",
			"blocked_by_failures",
			"all_complete",
			"waiting_for_dependencies",
		]),
		recommended_action: z.string(),
		health_status: z.enum(["healthy", "recovering", "blocked"]),
		completion_percentage: z.number().min(0).max(100),
		total_steps: count(),
		pending_steps: count(),
		ready_steps: count().meta({ description: "Dispatched to the queue, not yet started by a consumer." }),
		in_progress_steps: count(),
		waiting_for_retry_steps: count(),
		completed_steps: count(),
		resolved_manually_steps: count(),
		failed_steps: count(),
		cancelled_steps: count(),
		context: jsonObject("Exactly what was submitted."),
		initiator: z.string(),
		source_system: z.string(),
		reason: z.string(),
		tags: z.array(z.string()),
		priority: z.number().int(),
		correlation_id: z.string(),
		parent_correlation_id: z.string().nullable(),
		created_at: time(),
		updated_at: time(),
		completed_at: time(),
	})
	.meta({ id: "Task" });

export const stepErrorSchema = z
	.object({
		name: z.string().meta({ description: "The error class, e.g. PermanentError." }),
		error_type: z
			.string()
			.meta({ description: "permanent_error, retryable_error, handler_error, timeout, ..." }),
		error_code: z.string().nullable(),
		message: z.string(),
		retryable: z.boolean(),
		retry_after_seconds: z.number().nullable(),
		metadata: jsonObject("As the handler gave it."),
	})
	.meta({ id: "StepError" });

export const stepSchema = z
	.object({
		step_uuid: uuid(),
		task_uuid: uuid(),
		name: z.string(),
		description: z.string().nullable(),
		handler: z.string().meta({ description: "The handler's handlerName." }),
		dependencies: z.array(z.string()),
		current_state: stepStateSchema,
		dependencies_satisfied: z.boolean(),
		total_parents: count(),
		completed_parents: count(),
		ready_for_execution: z.boolean(),
		retry_eligible: z.boolean(),
		attempts: count(),
		max_attempts: count(),
		retryable: z.boolean(),
		timeout_seconds: z.number().int().positive(),
		step_type: z.enum(STEP_TYPES).meta({
			description:
				"The template's step type: decision, batchable, batch_worker, deferred_convergence or standard.",
		}),
		created_by: z.string().nullable().meta({
			description:
				"The decision or batchable step whose result created this step; null when it existed from the start.",
		}),
		wait: z
			.object({
				kind: z.enum(["event", "sleep"]),
				event_name: z.string().nullable().meta({ description: "The event it waits for (null: a sleep)." }),
				deadline_at: z
					.string()
					.nullable()
					.meta({ description: "Its timeout (an event) or wake time (a sleep), ISO 8601." }),
				from_handler: z
					.boolean()
					.meta({ description: "The wait was asked by its handler (StepHandlerResult.waitForEvent)." }),
			})
			.nullable()
			.meta({ description: "While the step is waiting_for_event or sleeping; null otherwise." }),
		results: z
			.object({
				success: z.boolean().meta({ description: "Always true: only a success has results." }),
				result: z.unknown().meta({ description: "Exactly what the handler returned." }),
				metadata: z.object({
					execution_time_ms: z.number(),
					attempt: count(),
					custom: jsonObject("The handler's own metadata."),
				}),
			})
			.nullable(),
		// A union rather than .nullable(): the generator drops the null of a nullable $ref.
		last_error: z.union([stepErrorSchema, z.null()]),
		next_retry_at: time(),
		last_attempted_at: time(),
		last_failure_at: time(),
		created_at: time(),
		updated_at: time(),
		completed_at: time(),
	})
	.meta({ id: "Step" });

export const transitionSchema = z
	.object({
		transition_id: z.number().int().meta({ description: "The order of the task's log." }),
		task_uuid: uuid(),
		workflow_step_uuid: uuid().nullable().meta({ description: "null for a transition of the task itself." }),
		step_name: z.string().nullable(),
		from_state: z.string().nullable(),
		to_state: z.string(),
		attempt: z.number().int().nullable(),
		metadata: jsonObject("As logged."),
		correlation_id: z.string(),
		recorded_at: time(),
	})
	.meta({ id: "Transition" });

export const taskSummarySchema = z
	.object({
		task_uuid: uuid(),
		name: z.string(),
		namespace: z.string(),
		version: z.string(),
		status: z.string().meta({ description: "A task state, as the index last heard it." }),
		initiator: z.string(),
		source_system: z.string(),
		reason: z.string(),
		priority: z.number().int(),
		correlation_id: z.string(),
		created_at: time(),
		updated_at: time(),
		completed_at: time(),
	})
	.meta({ id: "TaskSummary" });

export const paginationSchema = z
	.object({
		page: z.number().int().positive(),
		per_page: z.number().int().positive(),
		total_count: count(),
		total_pages: count(),
		has_next: z.boolean(),
		has_previous: z.boolean(),
	})
	.meta({ id: "Pagination" });

export const taskListSchema = z
	.object({ tasks: z.array(taskSummarySchema), pagination: paginationSchema })
	.meta({ id: "TaskList" });

export type TaskListBody = z.output<typeof taskListSchema>;

export type _TaskMatches = Assert<Same<z.output<typeof taskSchema>, TaskView>>;
export type _StepMatches = Assert<Same<z.output<typeof stepSchema>, StepView>>;
export type _TransitionMatches = Assert<Same<z.output<typeof transitionSchema>, TransitionView>>;
export type _SummaryMatches = Assert<Same<z.output<typeof taskSummarySchema>, TaskSummaryView>>;
