// The orchestrator with the billing example opted in (`main` of the generated wrangler.billing.jsonc):
// the same Worker as the project's worker.ts, serving the billing template too. The billing handlers are
// not bundled here: NAMESPACE_QUEUES routes the namespace's steps to the billing Worker's queue.
import { createScheduleObject } from "../../durable-objects/schedule-object";
import { createWorker } from "../../src/create-worker";
import { handlerModules, templates as ownTemplates } from "../../src/generated/registry";
import { templates as billingTemplates } from "./generated/registry";

export { FleetWriter } from "../../durable-objects/fleet-writer";
export { TaskObject } from "../../durable-objects/task-object";
export { WorkQueueObject } from "../../durable-objects/work-queue-object";

const templates = [...ownTemplates, ...billingTemplates];

export class ScheduleObject extends createScheduleObject(templates) {}

export default createWorker({ handlerModules, templates });
