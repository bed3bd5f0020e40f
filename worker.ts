// The Worker's entry (wrangler.toml `main`): the router, the queue consumer and the task object class.
import { createScheduleObject } from "./durable-objects/schedule-object";
import { createWorker } from "./src/create-worker";
import { handlerModules, templates } from "./src/generated/registry";

export { FleetWriter } from "./durable-objects/fleet-writer";
export { TaskObject } from "./durable-objects/task-object";
export { WorkQueueObject } from "./durable-objects/work-queue-object";

/** Schedules run the templates this Worker serves. */
export class ScheduleObject extends createScheduleObject(templates) {}

export default createWorker({ handlerModules, templates });
