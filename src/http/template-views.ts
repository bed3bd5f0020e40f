// The API's snake_case views of task templates: the catalogue (GET /v1/templates) and one template in full
// (GET /v1/templates/{namespace}/{name}/{version}, and what POST /v1/templates/validate normalised).
import type { RetryPolicy, StepOverride, TaskTemplate } from "../templates/task-template";

export function templateCatalogueView(templates: readonly TaskTemplate[]) {
	const counts = new Map<string, number>();
	for (const template of templates) counts.set(template.namespace, (counts.get(template.namespace) ?? 0) + 1);
	return {
		// Templates carry no namespace description yet; null keeps the reference's field.
		namespaces: [...counts].map(([name, count]) => ({ name, description: null, template_count: count })),
		templates: templates.map((template) => ({
			name: template.name,
			namespace: template.namespace,
			version: template.version,
			description: template.description,
			step_count: template.steps.length,
		})),
		total_count: templates.length,
	};
}

function retryView(retry: RetryPolicy) {
	return {
		retryable: retry.retryable,
		max_attempts: retry.maxAttempts,
		backoff: retry.backoff,
		backoff_base_ms: retry.backoffBaseMs,
		max_backoff_ms: retry.maxBackoffMs,
	};
}

function overrideView(override: StepOverride) {
	return {
		name: override.name,
		handler: override.initialization === null ? null : { initialization: override.initialization },
		timeout_seconds: override.timeoutSeconds,
		retry: override.retry === null ? null : retryView(override.retry),
	};
}

/**
 * One template in full, as it runs: `steps` with the overrides of `environment` (TASKER_ENV) applied;
 * `environments` shows the overrides as written. Every key of the format is present, null or empty
 * when the template leaves it out.
 */
export function templateView(template: TaskTemplate) {
	return {
		name: template.name,
		namespace: template.namespace,
		version: template.version,
		description: template.description,
		environment: template.environment ?? null,
		metadata: template.metadata ?? null,
		system_dependencies: template.systemDependencies
			? { primary: template.systemDependencies.primary, secondary: template.systemDependencies.secondary }
			: null,
		domain_events: (template.domainEvents ?? []).map((event) => ({
			name: event.name,
			description: event.description,
			schema: event.schema,
		})),
		input_schema: (template.inputSchema ?? null) as unknown,
		schedules: (template.schedules ?? []).map((schedule) => ({
			name: schedule.name,
			cron: schedule.cron,
			timezone: schedule.timezone,
			context: schedule.context,
			overlap: schedule.overlap,
			catch_up: schedule.catchUp,
			paused: schedule.paused,
		})),
		steps: template.steps.map((step) => ({
			name: step.name,
			description: step.description,
			handler: {
				callable: step.callable,
				initialization: step.initialization,
				method: step.method ?? null,
				resolver: step.resolver ?? null,
			},
			dependencies: step.dependencies,
			retry: retryView(step.retry),
			timeout_seconds: step.timeoutSeconds,
			system_dependency: step.systemDependency ?? null,
			result_schema: (step.resultSchema ?? null) as unknown,
			publishes_events: (step.publishesEvents ?? []).map((event) => ({
				name: event.name,
				description: event.description,
				condition: event.condition,
				schema: event.schema,
				delivery_mode: event.deliveryMode,
				publisher: event.publisher,
			})),
			composition: (step.composition ?? null) as unknown,
			type: step.type ?? "standard",
			...(step.batchConfig
				? {
						batch_config: {
							batch_size: step.batchConfig.batchSize,
							parallelism: step.batchConfig.parallelism,
							cursor_field: step.batchConfig.cursorField,
							worker_template: step.batchConfig.workerTemplate,
							failure_strategy: step.batchConfig.failureStrategy,
						},
					}
				: {}),
		})),
		environments: template.environments
			? Object.fromEntries(
					Object.entries(template.environments).map(([name, steps]) => [
						name,
						{ steps: steps.map(overrideView) },
					]),
				)
			: null,
	};
}
