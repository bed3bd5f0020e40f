// Assembles the Worker from a registry of templates and handler modules: the HTTP router and the
// queue consumer. The real entry (src/worker.ts) and the test entry pass their own registries.
import { createApp } from "./http/app";
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
	return {
		fetch: app.fetch,
		queue: createStepConsumer(handlers),
	} satisfies ExportedHandler<Env>;
}
