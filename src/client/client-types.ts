// The client's request and response types, derived from the server's own definitions (type-only imports,
// nothing of the server at run time) so that the two cannot drift; only top-level keys are camelCased.
import type { z } from "zod";
import type { StepView, TaskView, TransitionView } from "../core/task-views";
import type { TaskSummaryView } from "../http/routes/task-list";
import type { taskRequestSchema } from "../http/task-request-schema";
import type { templateCatalogueView, templateView } from "../http/template-views";
import type { TemplateProblem } from "../templates/validate-template";
import type { CamelCaseKeys } from "./camel-case";

/** A task (`GET /v1/tasks/{uuid}`); `context` is exactly what was submitted. */
export type Task = CamelCaseKeys<TaskView>;
/** A workflow step; `results` (`{success, result, metadata}`) is exactly what the handler returned. */
export type Step = CamelCaseKeys<StepView>;
/** One transition of a task or step audit; `metadata` as logged. */
export type Transition = CamelCaseKeys<TransitionView>;

/** What `POST /v1/tasks` accepts, camelCased, before the server applies its defaults. */
export type CreateTaskOptions = Omit<CamelCaseKeys<z.input<typeof taskRequestSchema>>, "name">;

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

export interface Pagination {
	page: number;
	perPage: number;
	totalCount: number;
	totalPages: number;
	hasNext: boolean;
	hasPrevious: boolean;
}

/** A listed task: what the index holds (identity, request fields, status); `getTask` has the step counts. */
export type TaskSummary = CamelCaseKeys<TaskSummaryView>;

export interface TaskList {
	tasks: TaskSummary[];
	pagination: Pagination;
}

/** The wire shape of `GET /v1/tasks`, as the reference system's. */
export interface TaskListBody {
	tasks: TaskSummaryView[];
	pagination: {
		page: number;
		per_page: number;
		total_count: number;
		total_pages: number;
		has_next: boolean;
		has_previous: boolean;
	};
}

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

type CatalogueBody = ReturnType<typeof templateCatalogueView>;
export type TemplateCatalogue = {
	namespaces: CamelCaseKeys<CatalogueBody["namespaces"][number]>[];
	templates: CamelCaseKeys<CatalogueBody["templates"][number]>[];
	totalCount: number;
};

type TemplateBody = ReturnType<typeof templateView>;
type TemplateStepBody = TemplateBody["steps"][number];
/** A template step; `handler.initialization` is the handler's config, exactly as written in the YAML. */
export type TemplateStep = Omit<CamelCaseKeys<TemplateStepBody>, "retry"> & {
	retry: CamelCaseKeys<TemplateStepBody["retry"]>;
};
export type Template = Omit<CamelCaseKeys<TemplateBody>, "steps"> & { steps: TemplateStep[] };

export type TemplateValidation =
	| { valid: true; template: Template }
	| { valid: false; problems: TemplateProblem[] };

export interface Health {
	status: string;
	timestamp: string;
}

export interface HealthCheck {
	status: string;
	count: number;
	message?: string;
}

/** `GET /health/ready`: also returned on its 503, where `status` is `not_ready`. */
export interface Readiness {
	status: string;
	/** `namespaceQueues` is absent from a server without handler workers per namespace. */
	checks: { templates: HealthCheck; handlers: HealthCheck; namespaceQueues?: NamespaceQueuesCheck };
}

/** Which namespaces this Worker sends to another queue (NAMESPACE_QUEUES): namespace → queue binding. */
export interface NamespaceQueuesCheck {
	status: string;
	routes: Record<string, string>;
	message?: string;
}

/** `GET /health/detailed`: also returned on its 503, where `status` is `unhealthy`. */
export interface DetailedHealth {
	status: string;
	timestamp: string;
	version: string;
	templates: { count: number; namespaces: string[] };
	handlers: { count: number };
	bindings: { tasks: boolean; stepQueue: boolean };
}
