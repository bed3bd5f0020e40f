// The API's snake_case views of task templates: the catalogue (GET /v1/templates) and one template in full
// (GET /v1/templates/{namespace}/{name}/{version}, and what POST /v1/templates/validate normalised).
import type { TaskTemplate } from "../templates/task-template";

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

export function templateView(template: TaskTemplate) {
	return {
		name: template.name,
		namespace: template.namespace,
		version: template.version,
		description: template.description,
		steps: template.steps.map((step) => ({
			name: step.name,
			description: step.description,
			handler: { callable: step.callable, initialization: step.initialization },
			dependencies: step.dependencies,
			retry: {
				retryable: step.retry.retryable,
				max_attempts: step.retry.maxAttempts,
				backoff: step.retry.backoff,
				backoff_base_ms: step.retry.backoffBaseMs,
				max_backoff_ms: step.retry.maxBackoffMs,
			},
			timeout_seconds: step.timeoutSeconds,
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
	};
}
