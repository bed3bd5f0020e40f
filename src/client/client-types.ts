// The client's request and response types, inferred from the zod schemas that validate the server's requests
// and describe its responses in the OpenAPI spec (type-only imports, nothing of the server at run time), so
// that client, server and spec cannot drift; only top-level keys are camelCased.
import type { z } from "zod";
import type {
	dlqEntrySchema,
	dlqEntrySummarySchema,
	dlqListSchema,
	dlqStatsSchema,
} from "../http/dlq-schemas";
import type {
	detailedHealthSchema,
	healthSchema,
	livenessSchema,
	readinessSchema,
} from "../http/health-response-schemas";
import type { bottlenecksSchema, performanceSchema } from "../http/routes/analytics";
import type { configSchema } from "../http/routes/config";
import type { queueEntrySchema, stalenessSchema } from "../http/routes/dlq-monitoring";
import type { TaskEventView } from "../http/task-event-schemas";
import type { taskRequestSchema } from "../http/task-request-schema";
import type {
	paginationSchema,
	stepSchema,
	taskListSchema,
	taskSchema,
	taskSummarySchema,
	transitionSchema,
} from "../http/task-response-schemas";
import type {
	templateCatalogueSchema,
	templateValidationSchema,
	templateViewSchema,
} from "../http/template-response-schemas";
import type { CamelCaseKeys } from "./camel-case";

/** The wire body of a schema: snake_case, as the server sends it. */
type Body<Schema extends z.ZodType> = z.output<Schema>;

/** The wire shapes (snake_case), as the server sends them. */
export type TaskBody = Body<typeof taskSchema>;
export type StepBody = Body<typeof stepSchema>;
export type TransitionBody = Body<typeof transitionSchema>;

/** A task (`GET /v1/tasks/{uuid}`); `context` is exactly what was submitted. */
export type Task = CamelCaseKeys<TaskBody>;
/** A workflow step; `results` (`{success, result, metadata}`) is exactly what the handler returned. */
export type Step = CamelCaseKeys<StepBody>;
/** One transition of a task or step audit; `metadata` as logged. */
export type Transition = CamelCaseKeys<TransitionBody>;
/** One domain event of a task (`GET /v1/tasks/{uuid}/events`): `event` as sent to the queue, and its `delivery`. */
export type TaskEvent = CamelCaseKeys<TaskEventView>;

/** What `POST /v1/tasks` accepts, camelCased, before the server applies its defaults. */
export type CreateTaskOptions = Omit<CamelCaseKeys<z.input<typeof taskRequestSchema>>, "name">;

/** The fields the client fills when the caller gives none, with the reference TypeScript client's values. */
type Defaulted = "context" | "initiator" | "sourceSystem" | "reason";

/**
 * The reference TypeScript client's form of a task request, `createTask({name, namespace?, version?, context?,
 * initiator?, sourceSystem?, reason?, ...})`: only `name` is required.
 */
export type CreateTaskRequest = { name: string } & Omit<CreateTaskOptions, Defaulted> &
	Partial<Pick<CreateTaskOptions, Defaulted>>;

export interface GetTaskOptions {
	/** Hold the answer up to this many seconds (at most 60) until the task has finished. */
	waitSeconds?: number;
}

export interface WaitForTaskOptions {
	/** Give up (TaskerTimeoutError) after this long. */
	timeoutMs: number;
	/** The least time between two reads, should a server answer at once without waiting; default 100. */
	pollIntervalMs?: number;
}

export interface ListTasksOptions {
	page?: number;
	perPage?: number;
	namespace?: string;
	status?: string;
	initiator?: string;
	sourceSystem?: string;
}

export type Pagination = CamelCaseKeys<Body<typeof paginationSchema>>;

/** A listed task: what the index holds (identity, request fields, status); `getTask` has the step counts. */
export type TaskSummary = CamelCaseKeys<Body<typeof taskSummarySchema>>;

export interface TaskList {
	tasks: TaskSummary[];
	pagination: Pagination;
}

/** The wire shape of `GET /v1/tasks`, as the reference system's. */
export type TaskListBody = Body<typeof taskListSchema>;

export interface ResetStepOptions {
	reason: string;
	resetBy: string;
}

export interface ResolveStepOptions {
	reason: string;
	resolvedBy: string;
}

export interface CompleteStepOptions {
	/** What the step's dependents read as its result. */
	result: unknown;
	metadata?: Record<string, unknown>;
	reason: string;
	completedBy: string;
}

export type TemplateCatalogueBody = Body<typeof templateCatalogueSchema>;
export type TemplateCatalogue = {
	namespaces: CamelCaseKeys<TemplateCatalogueBody["namespaces"][number]>[];
	templates: CamelCaseKeys<TemplateCatalogueBody["templates"][number]>[];
	totalCount: number;
};

export type TemplateBody = Body<typeof templateViewSchema>;
type TemplateStepBody = TemplateBody["steps"][number];
/** A template step; `handler.initialization` is the handler's config, exactly as written in the YAML. */
export type TemplateStep = Omit<CamelCaseKeys<TemplateStepBody>, "retry"> & {
	retry: CamelCaseKeys<TemplateStepBody["retry"]>;
};
export type Template = Omit<CamelCaseKeys<TemplateBody>, "steps"> & { steps: TemplateStep[] };

export type TemplateValidationBody = Body<typeof templateValidationSchema>;
/** `POST /v1/templates/validate`: the template normalised, or every problem found (`{path, message}`). */
export type TemplateValidation =
	| { valid: true; template: Template }
	| Extract<TemplateValidationBody, { valid: false }>;

/** `GET /health`. */
export type Health = Body<typeof healthSchema>;
/** `GET /health/live`. */
export type Liveness = Body<typeof livenessSchema>;

/** `GET /health/ready`: also returned on its 503, where `status` is `not_ready`. */
export type ReadinessBody = Body<typeof readinessSchema>;
export type Readiness = Omit<ReadinessBody, "checks"> & { checks: CamelCaseKeys<ReadinessBody["checks"]> };
export type HealthCheck = ReadinessBody["checks"]["templates"];
/** Which namespaces this Worker sends to another queue (NAMESPACE_QUEUES): namespace → queue binding. */
export type NamespaceQueuesCheck = ReadinessBody["checks"]["namespace_queues"];

/** The wire shape of `GET /health/detailed`, whose `bindings` the client camelCases too. */
export type DetailedHealthBody = Body<typeof detailedHealthSchema>;
/** `GET /health/detailed`: also returned on its 503, where `status` is `unhealthy`. */
export type DetailedHealth = Omit<DetailedHealthBody, "bindings"> & {
	bindings: CamelCaseKeys<DetailedHealthBody["bindings"]>;
};

/** A DLQ entry (`GET /v1/dlq/task/{uuid}`); `taskSnapshot` and `metadata` as the server wrote them. */
export type DlqEntryBody = Body<typeof dlqEntrySchema>;
export type DlqEntry = CamelCaseKeys<DlqEntryBody>;
/** A listed DLQ entry: without its task snapshot. */
export type DlqEntrySummary = CamelCaseKeys<Body<typeof dlqEntrySummarySchema>>;
export type DlqResolutionStatus = DlqEntryBody["resolution_status"];

export type DlqListBody = Body<typeof dlqListSchema>;
export interface DlqList {
	entries: DlqEntrySummary[];
	totalCount: number;
	limit: number;
	offset: number;
}

export interface ListDlqOptions {
	resolutionStatus?: DlqResolutionStatus;
	/** 1 to 200; default 50. */
	limit?: number;
	offset?: number;
}

/** What `PATCH /v1/dlq/entry/{uuid}` changes; at least one field. A resolution is final. */
export interface UpdateDlqEntryOptions {
	resolutionStatus?: DlqResolutionStatus;
	resolutionNotes?: string;
	resolvedBy?: string;
	metadata?: Record<string, unknown>;
}

export type DlqStatsBody = Body<typeof dlqStatsSchema>;
export type DlqReasonStats = CamelCaseKeys<DlqStatsBody["by_reason"][number]>;
/** `GET /v1/dlq/stats`: totals, and per reason its counts by resolution status. */
export interface DlqStats {
	totalEntries: number;
	pending: number;
	byReason: DlqReasonStats[];
}

/** `GET /v1/analytics/performance` and `/bottlenecks` (issue 12): the reference's shapes, camelCased at the top. */
export type PerformanceMetricsBody = Body<typeof performanceSchema>;
export type PerformanceMetrics = CamelCaseKeys<PerformanceMetricsBody>;
export type BottleneckAnalysisBody = Body<typeof bottlenecksSchema>;
export interface BottleneckAnalysis {
	slowSteps: CamelCaseKeys<BottleneckAnalysisBody["slow_steps"][number]>[];
	slowTasks: CamelCaseKeys<BottleneckAnalysisBody["slow_tasks"][number]>[];
	resourceUtilization: BottleneckAnalysisBody["resource_utilization"];
	recommendations: string[];
}
export interface AnalyticsWindowOptions {
	/** Hours to look back (default 24; 0: all time). */
	hours?: number;
}
export interface BottleneckOptions extends AnalyticsWindowOptions {
	limit?: number;
	minExecutions?: number;
}

/** `GET /v1/dlq/investigation-queue` and `/v1/dlq/staleness`. */
export type InvestigationQueueEntry = CamelCaseKeys<Body<typeof queueEntrySchema>>;
export type StalenessMonitoring = CamelCaseKeys<Body<typeof stalenessSchema>>;

/** `GET /config`: the non-secret settings (nested keys as sent). */
export type OrchestrationConfig = CamelCaseKeys<Body<typeof configSchema>>;
