// TaskerClient: the Tasker HTTP API as camelCase methods, over `fetch` only, so that it runs in Node, Workers
// and browsers alike. Requests go out in snake_case; answers come back with their top-level keys camelCased.

import { camelCaseKeys, snakeCaseKeys } from "./camel-case";
import type {
	AnalyticsWindowOptions,
	BottleneckAnalysis,
	BottleneckAnalysisBody,
	BottleneckOptions,
	CompleteStepOptions,
	CreateTaskOptions,
	CreateTaskRequest,
	DetailedHealth,
	DetailedHealthBody,
	DlqEntry,
	DlqEntryBody,
	DlqList,
	DlqListBody,
	DlqStats,
	DlqStatsBody,
	GetTaskOptions,
	Health,
	InvestigationQueueEntry,
	ListDlqOptions,
	ListTasksOptions,
	Liveness,
	OrchestrationConfig,
	PerformanceMetrics,
	PerformanceMetricsBody,
	Readiness,
	ReadinessBody,
	ResetStepOptions,
	ResolveStepOptions,
	StalenessMonitoring,
	Step,
	StepBody,
	Task,
	TaskBody,
	TaskEvent,
	TaskList,
	TaskListBody,
	Template,
	TemplateBody,
	TemplateCatalogue,
	TemplateCatalogueBody,
	TemplateValidation,
	TemplateValidationBody,
	Transition,
	TransitionBody,
	UpdateDlqEntryOptions,
	WaitForTaskOptions,
} from "./client-types";
import { type FetchLike, HttpTransport } from "./http-transport";
import type {
	CreateScheduleOptions,
	EventReceipt,
	ListSchedulesOptions,
	Schedule,
	ScheduleBody,
	ScheduleDetail,
	ScheduleDetailBody,
	ScheduleList,
	ScheduleListBody,
	ScheduleRun,
	ScheduleRunBody,
	ScheduleSync,
	ScheduleSyncBody,
	SendEventOptions,
	UpdateScheduleOptions,
} from "./schedule-types";
import { followTaskStream, type StreamCredentials, streamUrl } from "./task-stream-client";
import { TaskerTimeoutError } from "./tasker-timeout-error";

/** Where the client goes without `baseUrl` or `TASKER_URL`: `npm run dev`'s address. */
export const DEFAULT_TASKER_URL = "http://localhost:8787";

/** The reference TypeScript client's values for what a task request leaves out. */
export const TASK_REQUEST_DEFAULTS = {
	initiator: "tasker-core-typescript",
	sourceSystem: "tasker-core",
	reason: "Task requested",
} as const;

export interface TaskerClientOptions {
	/** e.g. `http://localhost:8787`; defaults to `TASKER_URL` where a `process.env` exists (Node), else `http://localhost:8787`. */
	baseUrl?: string;
	/** Sent as `X-API-Key`. */
	apiKey?: string;
	/** Sent as `Authorization: Bearer …`. */
	bearerToken?: string;
	/** Defaults to the global `fetch`. */
	fetch?: FetchLike;
	/** Extra headers on every request (the credentials above win over these). */
	headers?: Record<string, string>;
	/**
	 * How long a request may go unanswered before it fails with `NETWORK_ERROR` (status 0); a read that asks
	 * the server to wait (`waitSeconds`) gets that long on top. Default 30 s.
	 */
	requestTimeoutMs?: number;
}

/** How long a request may go unanswered by default (TaskerClientOptions.requestTimeoutMs). */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** The server holds a `wait_seconds` read for at most this long. */
const MAX_WAIT_SECONDS = 60;
const FINISHED: ReadonlySet<string> = new Set(["complete", "error", "cancelled"]);

export class TaskerClient {
	readonly baseUrl: string;
	readonly #http: HttpTransport;
	readonly #credentials: StreamCredentials;

	constructor(options: TaskerClientOptions = {}) {
		const baseUrl = options.baseUrl || environmentUrl() || DEFAULT_TASKER_URL;
		this.baseUrl = baseUrl.replace(/\/+$/, "");
		const headers: Record<string, string> = { ...options.headers };
		if (options.apiKey !== undefined) headers["x-api-key"] = options.apiKey;
		if (options.bearerToken !== undefined) headers.authorization = `Bearer ${options.bearerToken}`;
		this.#credentials = { apiKey: options.apiKey, bearerToken: options.bearerToken };
		// Bound, so that a detached global fetch (browsers) is not called with a foreign `this`.
		const fetcher = options.fetch ?? ((input: string, init?: RequestInit) => globalThis.fetch(input, init));
		this.#http = new HttpTransport({
			baseUrl: this.baseUrl,
			fetch: fetcher,
			headers,
			requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
		});
	}

	/**
	 * `POST /v1/tasks`: submits a task of template `name`, as `createTask({name, context, ...})` (the reference
	 * client's form) or `createTask(name, {context, ...})`. `context` defaults to `{}`, and `initiator`,
	 * `sourceSystem` and `reason` to the reference client's values. A duplicate submission is a 409 TaskerApiError.
	 */
	async createTask(request: CreateTaskRequest): Promise<Task>;
	async createTask(name: string, options?: Omit<CreateTaskRequest, "name">): Promise<Task>;
	async createTask(
		nameOrRequest: string | CreateTaskRequest,
		options: Omit<CreateTaskRequest, "name"> = {},
	): Promise<Task> {
		const { name, ...fields } =
			typeof nameOrRequest === "string" ? { ...options, name: nameOrRequest } : nameOrRequest;
		const filled: CreateTaskOptions = {
			...fields,
			context: fields.context ?? {},
			initiator: fields.initiator ?? TASK_REQUEST_DEFAULTS.initiator,
			sourceSystem: fields.sourceSystem ?? TASK_REQUEST_DEFAULTS.sourceSystem,
			reason: fields.reason ?? TASK_REQUEST_DEFAULTS.reason,
		};
		const body = { name, ...snakeCaseKeys(filled as Record<string, unknown>) };
		return camelCaseKeys(
			await this.#http.request<TaskBody>({ method: "POST", path: "/v1/tasks", json: body }),
		);
	}

	/** `GET /v1/tasks/{uuid}`; `waitSeconds` holds the answer until the task has finished (or that long). */
	async getTask(taskUuid: string, options: GetTaskOptions = {}): Promise<Task> {
		const query = { wait_seconds: options.waitSeconds };
		const holdMs = (options.waitSeconds ?? 0) * 1000;
		return camelCaseKeys(
			await this.#http.request<TaskBody>({ method: "GET", path: taskPath(taskUuid), query, holdMs }),
		);
	}

	/**
	 * Reads the task until it is `complete`, `error` or `cancelled`, each read held by the server up to 60 s
	 * (so a finished task answers at once); throws TaskerTimeoutError with the last task seen after `timeoutMs`.
	 */
	async waitForTask(taskUuid: string, options: WaitForTaskOptions): Promise<Task> {
		const deadline = Date.now() + options.timeoutMs;
		const pollIntervalMs = options.pollIntervalMs ?? 100;
		for (;;) {
			const started = Date.now();
			const remainingMs = Math.max(0, deadline - started);
			// Whole milliseconds, in seconds: the server accepts fractions and rounds to the millisecond.
			const waitSeconds = Math.min(MAX_WAIT_SECONDS, Math.round(remainingMs) / 1000);
			const task = await this.getTask(taskUuid, { waitSeconds });
			if (FINISHED.has(task.status)) return task;
			const now = Date.now();
			if (now >= deadline) throw new TaskerTimeoutError(task, options.timeoutMs);
			// A server that answered without waiting is not asked again at once.
			const pause = Math.min(pollIntervalMs - (now - started), deadline - now);
			if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
		}
	}

	/**
	 * Follows the task over its live stream (`GET /v1/tasks/{uuid}/stream`, a WebSocket) until `until`
	 * holds (by default: it has finished), calling `onTask` on each change. Rejects with
	 * StreamUnavailableError when there is no WebSocket or the stream cannot be had: read the task then.
	 */
	async followTask(
		taskUuid: string,
		options: { onTask?: (task: Task) => void; until?: (task: Task) => boolean; timeoutMs?: number } = {},
	): Promise<Task> {
		const task = await followTaskStream<TaskBody>(streamUrl(this.baseUrl, taskUuid, this.#credentials), {
			onTask: options.onTask ? (body) => options.onTask?.(camelCaseKeys(body)) : undefined,
			until: (body) => (options.until ? options.until(camelCaseKeys(body)) : FINISHED.has(body.status)),
			timeoutMs: options.timeoutMs,
		});
		return camelCaseKeys(task);
	}

	/** `GET /v1/tasks`: one page of tasks, newest first, optionally filtered. */
	async listTasks(options: ListTasksOptions = {}): Promise<TaskList> {
		const query = snakeCaseKeys(options as Record<string, unknown>) as Record<string, string | number>;
		const body = await this.#http.request<TaskListBody>({ method: "GET", path: "/v1/tasks", query });
		return {
			tasks: body.tasks.map((task) => camelCaseKeys(task)),
			pagination: camelCaseKeys(body.pagination),
		};
	}

	/** `DELETE /v1/tasks/{uuid}`: cancels every unfinished step; a finished task is a 409. */
	async cancelTask(taskUuid: string): Promise<Task> {
		return camelCaseKeys(await this.#http.request<TaskBody>({ method: "DELETE", path: taskPath(taskUuid) }));
	}

	/** `GET /v1/tasks/{uuid}/workflow_steps`, in template order. */
	async listTaskSteps(taskUuid: string): Promise<Step[]> {
		const path = `${taskPath(taskUuid)}/workflow_steps`;
		const steps = await this.#http.request<StepBody[]>({ method: "GET", path });
		return steps.map((step) => camelCaseKeys(step));
	}

	/** `GET /v1/tasks/{uuid}/workflow_steps/{step_uuid}`. */
	async getStep(taskUuid: string, stepUuid: string): Promise<Step> {
		return camelCaseKeys(
			await this.#http.request<StepBody>({ method: "GET", path: stepPath(taskUuid, stepUuid) }),
		);
	}

	/** `GET …/workflow_steps/{step_uuid}/audit`: the step's transitions, oldest first. */
	async getStepAudit(taskUuid: string, stepUuid: string): Promise<Transition[]> {
		const path = `${stepPath(taskUuid, stepUuid)}/audit`;
		const transitions = await this.#http.request<TransitionBody[]>({ method: "GET", path });
		return transitions.map((transition) => camelCaseKeys(transition));
	}

	/** `GET /v1/tasks/{uuid}/audit`: the task's own transitions, oldest first. */
	async getTaskAudit(taskUuid: string): Promise<Transition[]> {
		const path = `${taskPath(taskUuid)}/audit`;
		const transitions = await this.#http.request<TransitionBody[]>({ method: "GET", path });
		return transitions.map((transition) => camelCaseKeys(transition));
	}

	/** `GET /v1/tasks/{uuid}/events`: the domain events its steps published, oldest first, with their delivery. */
	async getTaskEvents(taskUuid: string): Promise<TaskEvent[]> {
		const path = `${taskPath(taskUuid)}/events`;
		const events = await this.#http.request<TaskEvent[]>({ method: "GET", path });
		return events.map((event) => camelCaseKeys(event));
	}

	/** `PATCH` `reset_for_retry`: a step in `error` runs again. */
	resetStep(taskUuid: string, stepUuid: string, options: ResetStepOptions): Promise<Step> {
		return this.#actOnStep(taskUuid, stepUuid, {
			action_type: "reset_for_retry",
			reason: options.reason,
			reset_by: options.resetBy,
		});
	}

	/** `PATCH` `resolve_manually`: the step counts as done, with no result. */
	resolveStep(taskUuid: string, stepUuid: string, options: ResolveStepOptions): Promise<Step> {
		return this.#actOnStep(taskUuid, stepUuid, {
			action_type: "resolve_manually",
			reason: options.reason,
			resolved_by: options.resolvedBy,
		});
	}

	/** `PATCH` `complete_manually`: the step is complete with `result`, which its dependents read. */
	completeStep(taskUuid: string, stepUuid: string, options: CompleteStepOptions): Promise<Step> {
		const completionData =
			options.metadata === undefined
				? { result: options.result }
				: { result: options.result, metadata: options.metadata };
		return this.#actOnStep(taskUuid, stepUuid, {
			action_type: "complete_manually",
			completion_data: completionData,
			reason: options.reason,
			completed_by: options.completedBy,
		});
	}

	/** `GET /v1/dlq`: DLQ entries, newest first (without their snapshots), optionally by resolution status. */
	async listDlq(options: ListDlqOptions = {}): Promise<DlqList> {
		const query = snakeCaseKeys(options as Record<string, unknown>) as Record<string, string | number>;
		const body = await this.#http.request<DlqListBody>({ method: "GET", path: "/v1/dlq", query });
		return {
			entries: body.entries.map((entry) => camelCaseKeys(entry)),
			totalCount: body.total_count,
			limit: body.limit,
			offset: body.offset,
		};
	}

	/** `GET /v1/dlq/task/{uuid}`: the task's entry (its pending one, else its newest), with its snapshot. */
	async getDlqEntry(taskUuid: string): Promise<DlqEntry> {
		const path = `/v1/dlq/task/${segment(taskUuid)}`;
		return camelCaseKeys(await this.#http.request<DlqEntryBody>({ method: "GET", path }));
	}

	/** `PATCH /v1/dlq/entry/{uuid}`: records an investigation's outcome; changing a resolution is a 409. */
	async updateDlqEntry(dlqEntryUuid: string, options: UpdateDlqEntryOptions): Promise<DlqEntry> {
		const path = `/v1/dlq/entry/${segment(dlqEntryUuid)}`;
		const json = snakeCaseKeys(options as Record<string, unknown>);
		return camelCaseKeys(await this.#http.request<DlqEntryBody>({ method: "PATCH", path, json }));
	}

	/** `GET /v1/dlq/stats`: per reason, how many entries in each resolution status, oldest and newest. */
	async dlqStats(): Promise<DlqStats> {
		const body = await this.#http.request<DlqStatsBody>({ method: "GET", path: "/v1/dlq/stats" });
		return {
			totalEntries: body.total_entries,
			pending: body.pending,
			byReason: body.by_reason.map((reason) => camelCaseKeys(reason)),
		};
	}

	/** `GET /v1/dlq/investigation-queue`: pending entries, most urgent first (the reference's priority score). */
	async investigationQueue(options: { limit?: number } = {}): Promise<InvestigationQueueEntry[]> {
		const body = await this.#http.request<Array<Record<string, unknown>>>({
			method: "GET",
			path: "/v1/dlq/investigation-queue",
			query: { limit: options.limit },
		});
		return body.map((entry) => camelCaseKeys(entry)) as InvestigationQueueEntry[];
	}

	/** `GET /v1/dlq/staleness`: running tasks against their staleness thresholds, stale first. */
	async stalenessMonitoring(options: { limit?: number } = {}): Promise<StalenessMonitoring[]> {
		const body = await this.#http.request<Array<Record<string, unknown>>>({
			method: "GET",
			path: "/v1/dlq/staleness",
			query: { limit: options.limit },
		});
		return body.map((entry) => camelCaseKeys(entry)) as StalenessMonitoring[];
	}

	/** `GET /v1/analytics/performance`: rates, durations and throughput over the last `hours` (default 24). */
	async performanceMetrics(options: AnalyticsWindowOptions = {}): Promise<PerformanceMetrics> {
		const body = await this.#http.request<PerformanceMetricsBody>({
			method: "GET",
			path: "/v1/analytics/performance",
			query: { hours: options.hours },
		});
		return camelCaseKeys(body);
	}

	/** `GET /v1/analytics/bottlenecks`: the slowest steps and templates, and recommendations. */
	async bottlenecks(options: BottleneckOptions = {}): Promise<BottleneckAnalysis> {
		const body = await this.#http.request<BottleneckAnalysisBody>({
			method: "GET",
			path: "/v1/analytics/bottlenecks",
			query: { limit: options.limit, min_executions: options.minExecutions, hours: options.hours },
		});
		return {
			slowSteps: body.slow_steps.map((s) => camelCaseKeys(s)),
			slowTasks: body.slow_tasks.map((t) => camelCaseKeys(t)),
			resourceUtilization: body.resource_utilization,
			recommendations: body.recommendations,
		};
	}

	/** `GET /config`: the server's non-secret settings. */
	async config(): Promise<OrchestrationConfig> {
		return camelCaseKeys(
			await this.#http.request<Record<string, unknown>>({ method: "GET", path: "/config" }),
		) as OrchestrationConfig;
	}

	/** `GET /v1/templates`: every registered version, or one namespace's (an unknown one is a 404). */
	async listTemplates(options: { namespace?: string } = {}): Promise<TemplateCatalogue> {
		const query = { namespace: options.namespace };
		const body = await this.#http.request<TemplateCatalogueBody>({
			method: "GET",
			path: "/v1/templates",
			query,
		});
		return {
			namespaces: body.namespaces.map((namespace) => camelCaseKeys(namespace)),
			templates: body.templates.map((template) => camelCaseKeys(template)),
			totalCount: body.total_count,
		};
	}

	/** `GET /v1/templates/{namespace}/{name}/{version}`; `latest` is the newest version. */
	async getTemplate(namespace: string, name: string, version = "latest"): Promise<Template> {
		const path = `/v1/templates/${segment(namespace)}/${segment(name)}/${segment(version)}`;
		return toTemplate(await this.#http.request<TemplateBody>({ method: "GET", path }));
	}

	/** `POST /v1/templates/validate`: a template's YAML checked against the server's handlers. */
	async validateTemplate(yamlText: string): Promise<TemplateValidation> {
		const body = await this.#http.request<TemplateValidationBody>({
			method: "POST",
			path: "/v1/templates/validate",
			text: { body: yamlText, contentType: "application/yaml" },
		});
		return body.valid ? { valid: true, template: toTemplate(body.template) } : body;
	}

	/** `GET /health`. */
	health(): Promise<Health> {
		return this.#http.request<Health>({ method: "GET", path: "/health" });
	}

	/** `GET /health/live`. */
	live(): Promise<Liveness> {
		return this.#http.request<Liveness>({ method: "GET", path: "/health/live" });
	}

	/** `GET /health/ready`: its 503 (`not_ready`) is returned too, not thrown: it is the probe's answer. */
	async ready(): Promise<Readiness> {
		const body = await this.#http.request<ReadinessBody>({
			method: "GET",
			path: "/health/ready",
			acceptStatuses: [503],
		});
		// A check's own keys are camelCased like a response's; a route's namespace is data, kept as sent.
		return { ...body, checks: camelCaseKeys(body.checks) };
	}

	/** `GET /health/detailed`: its 503 (`unhealthy`) is returned too, not thrown. */
	async healthDetailed(): Promise<DetailedHealth> {
		const body = await this.#http.request<DetailedHealthBody>({
			method: "GET",
			path: "/health/detailed",
			acceptStatuses: [503],
		});
		return { ...body, bindings: camelCaseKeys(body.bindings) };
	}

	/**
	 * `POST /v1/tasks/{uuid}/events`: completes the task's step waiting for event `name` (its result is
	 * the payload), or keeps the event until a step waits for it (`status: buffered`).
	 */
	async sendEvent(taskUuid: string, name: string, options: SendEventOptions = {}): Promise<EventReceipt> {
		const json = { name, payload: options.payload ?? null, event_id: options.eventId };
		const path = `${taskPath(taskUuid)}/events`;
		return camelCaseKeys(
			await this.#http.request<Record<string, unknown>>({ method: "POST", path, json }),
		) as EventReceipt;
	}

	/** `POST /v1/schedules`: runs template `name` on `cron` (five fields) in `timezone` (default UTC). */
	async createSchedule(options: CreateScheduleOptions): Promise<Schedule> {
		const json = snakeCaseKeys(options as Record<string, unknown>);
		return camelCaseKeys(
			await this.#http.request<ScheduleBody>({ method: "POST", path: "/v1/schedules", json }),
		);
	}

	/** `GET /v1/schedules`: one page of schedules, oldest first. */
	async listSchedules(options: ListSchedulesOptions = {}): Promise<ScheduleList> {
		const query = snakeCaseKeys(options as Record<string, unknown>) as Record<string, string | number>;
		const body = await this.#http.request<ScheduleListBody>({ method: "GET", path: "/v1/schedules", query });
		return {
			schedules: body.schedules.map((s) => camelCaseKeys(s)),
			pagination: camelCaseKeys(body.pagination),
		};
	}

	/** `GET /v1/schedules/{id}`: with its next due times and last runs (and their tasks). */
	async getSchedule(scheduleId: string): Promise<ScheduleDetail> {
		const body = await this.#http.request<ScheduleDetailBody>({
			method: "GET",
			path: schedulePath(scheduleId),
		});
		return { ...camelCaseKeys(body), lastRuns: body.last_runs.map((run) => camelCaseKeys(run)) };
	}

	/** `PATCH /v1/schedules/{id}`: changes its cron, time zone, context, policies or version; pauses or resumes it. */
	async updateSchedule(scheduleId: string, change: UpdateScheduleOptions): Promise<Schedule> {
		const json = snakeCaseKeys(change as Record<string, unknown>);
		return camelCaseKeys(
			await this.#http.request<ScheduleBody>({ method: "PATCH", path: schedulePath(scheduleId), json }),
		);
	}

	async pauseSchedule(scheduleId: string): Promise<Schedule> {
		return this.updateSchedule(scheduleId, { paused: true });
	}

	/** Resumes from now: due times missed while paused do not run. */
	async resumeSchedule(scheduleId: string): Promise<Schedule> {
		return this.updateSchedule(scheduleId, { paused: false });
	}

	/** `POST /v1/schedules/{id}/trigger`: runs it now, under its overlap policy or the one given. */
	async triggerSchedule(
		scheduleId: string,
		options: { overlap?: "skip" | "allow" | "cancel_previous" } = {},
	): Promise<ScheduleRun> {
		const path = `${schedulePath(scheduleId)}/trigger`;
		return camelCaseKeys(await this.#http.request<ScheduleRunBody>({ method: "POST", path, json: options }));
	}

	/**
	 * `POST /v1/schedules/sync`: makes the schedules match the templates' `schedules:` (created,
	 * updated, or paused when no template declares them any more). Idempotent; run after a deploy.
	 */
	async syncSchedules(): Promise<ScheduleSync> {
		const body = await this.#http.request<ScheduleSyncBody>({ method: "POST", path: "/v1/schedules/sync" });
		const entries = <T extends Record<string, unknown>>(list: T[]) =>
			list.map((entry) => camelCaseKeys(entry));
		return {
			created: entries(body.created),
			updated: entries(body.updated),
			unchanged: entries(body.unchanged),
			paused: entries(body.paused),
			removed: entries(body.removed),
			failed: entries(body.failed),
		};
	}

	/** `DELETE /v1/schedules/{id}`: it runs no more (tasks it started go on); answers it as it was. */
	async deleteSchedule(scheduleId: string): Promise<Schedule> {
		return camelCaseKeys(
			await this.#http.request<ScheduleBody>({ method: "DELETE", path: schedulePath(scheduleId) }),
		);
	}

	async #actOnStep(taskUuid: string, stepUuid: string, action: Record<string, unknown>): Promise<Step> {
		const path = stepPath(taskUuid, stepUuid);
		return camelCaseKeys(await this.#http.request<StepBody>({ method: "PATCH", path, json: action }));
	}
}

function environmentUrl(): string | undefined {
	// No `node:` import: `process` is looked up only where a runtime provides it.
	const runtime = globalThis as { process?: { env?: Record<string, string | undefined> } };
	return runtime.process?.env?.TASKER_URL || undefined;
}

const segment = (value: string) => encodeURIComponent(value);
const schedulePath = (scheduleId: string) => `/v1/schedules/${segment(scheduleId)}`;
const taskPath = (taskUuid: string) => `/v1/tasks/${segment(taskUuid)}`;
const stepPath = (taskUuid: string, stepUuid: string) =>
	`${taskPath(taskUuid)}/workflow_steps/${segment(stepUuid)}`;

/** Step fields and retry settings camelCased; `handler` (its `initialization` is the author's config) as is. */
function toTemplate(body: TemplateBody): Template {
	return {
		...camelCaseKeys(body),
		steps: body.steps.map((step) => ({ ...camelCaseKeys(step), retry: camelCaseKeys(step.retry) })),
	};
}
