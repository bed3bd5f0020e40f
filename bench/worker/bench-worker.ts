// The bench worker (bench/wrangler.bench.toml `main`): the real tasker worker with the bench templates added, the
// bench-only routes under /bench/, the floor object and its queue, and the Workflow running the same shapes.
import * as scale from "bench-scale-registry";
import * as shapes from "bench-shapes-registry";
import { createWorker } from "../../src/create-worker";
import { handlerModules, templates } from "../../src/generated/registry";
import { type BenchEnv, FLOOR_QUEUE_NAME, type FloorMessage } from "./bench-env";
import { benchRoutes } from "./bench-routes";
import { countConsumerBatch } from "./consumer-counter";
import { consumeFloor } from "./floor-consumer";

export { FleetWriter } from "../../durable-objects/fleet-writer";
export { TaskObject } from "../../durable-objects/task-object";
export { WorkQueueObject } from "../../durable-objects/work-queue-object";
export { BenchWorkflow } from "./bench-workflow";
export { FloorObject } from "./floor-object";

// The scale registry's handler modules are the shapes registry's (both are bench/handlers/): registered once.
const tasker = createWorker({
	handlerModules: [...handlerModules, ...shapes.handlerModules],
	templates: [...templates, ...shapes.templates, ...scale.templates],
});
const bench = benchRoutes();

export default {
	fetch(request, env, ctx) {
		const { pathname } = new URL(request.url);
		return pathname.startsWith("/bench/") ? bench.fetch(request, env, ctx) : tasker.fetch(request, env, ctx);
	},
	async queue(batch, env) {
		if (batch.queue === FLOOR_QUEUE_NAME) return consumeFloor(batch as MessageBatch<FloorMessage>, env);
		countConsumerBatch(batch);
		return tasker.queue(batch, env);
	},
} satisfies ExportedHandler<BenchEnv>;
