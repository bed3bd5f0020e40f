// A Worker that only runs steps: the queue consumer of one namespace's queue, for a team that keeps
// its handlers in its own Worker. It reaches the orchestrator's task objects through a TASKS binding
// declared with `script_name`, and runs its handlers with the same StepHandler API.
import type { StepHandlerClass } from "./handler-api/step-handler";
import { createStepConsumer } from "./queue/step-consumer";
import { buildHandlerRegistry } from "./registry/handler-registry";
import type { TaskObjectsEnv } from "./task-object-stub";

export type { TaskObjectsEnv } from "./task-object-stub";

export interface HandlerWorkerOptions {
	/** The StepHandler classes this Worker runs; two with one handlerName are refused at start-up. */
	handlers: readonly StepHandlerClass[];
}

export function createHandlerWorker(options: HandlerWorkerOptions) {
	const exports = Object.fromEntries(options.handlers.map((handler, i) => [`${i}:${handler.name}`, handler]));
	const handlers = buildHandlerRegistry([{ path: "createHandlerWorker({ handlers })", exports }]);
	const names = handlers.names();
	return {
		queue: createStepConsumer(handlers),
		/** A probe: this Worker is up, and these are the handlers it runs. */
		fetch: async (): Promise<Response> => Response.json({ status: "healthy", handlers: names }),
	} satisfies ExportedHandler<TaskObjectsEnv>;
}
