// Assembles the Worker from a registry of templates and handler modules: the HTTP router and the
// queue consumers (steps, and the dead letters of every step queue). The real entry (worker.ts, at the root)
// and the test entry pass their own registries.
import { pruneAnalytics } from "./analytics/analytics-retention";
import { createApp } from "./http/app";
import { configureLogging } from "./observability/log-event";
import { createDeadLetterConsumer, DEAD_LETTER_QUEUE } from "./queue/dead-letter-consumer";
import { createStepConsumer } from "./queue/step-consumer";
import { buildHandlerRegistry, type HandlerModule } from "./registry/handler-registry";
import { TemplateRegistry } from "./registry/template-registry";
import type { TaskTemplate } from "./templates/task-template";

export interface WorkerRegistry {
	handlerModules: ReadonlyArray<HandlerModule>;
	templates: readonly TaskTemplate[];
}

export function createWorker(registry: WorkerRegistry) {
	// Both throw at start-up on a duplicate: the worker never serves an ambiguous registry.
	const handlers = buildHandlerRegistry(registry.handlerModules);
	const templates = new TemplateRegistry(registry.templates);
	const app = createApp(templates, handlers);
	const steps = createStepConsumer(handlers);
	const deadLetters = createDeadLetterConsumer();
	return {
		// TASKER_ENV picks which `environments` overrides the served templates carry.
		fetch: (request: Request, env: Env, ctx: ExecutionContext) => {
			configureLogging(env);
			templates.useEnvironment((env as { TASKER_ENV?: unknown }).TASKER_ENV);
			return app.fetch(request, env, ctx);
		},
		// One queue() for every queue this Worker consumes: the dead letters of all the step queues, or steps.
		queue: (batch: MessageBatch<unknown>, env: Env) => {
			configureLogging(env);
			return batch.queue === DEAD_LETTER_QUEUE ? deadLetters(batch, env) : steps(batch, env);
		},
		// The cron of wrangler.toml's [triggers]: housekeeping off every task's path (analytics retention).
		scheduled: async (controller: ScheduledController, env: Env) => {
			configureLogging(env);
			await pruneAnalytics(env, controller.scheduledTime);
		},
	} satisfies ExportedHandler<Env>;
}
