// The Worker under test: the real entry's registry plus the test fixtures (failing handlers and the
// templates that use them), which never ship in the real Worker; and the billing example opted in, as
// examples/billing-worker/orchestrator.ts serves it, with the billing handler Worker's consumer on the
// billing queue.

import { createScheduleObject } from "../../durable-objects/schedule-object";
import { templates as billingTemplates } from "../../examples/billing-worker/generated/registry";
import {
	ApplyDiscountHandler,
	ApplyTaxHandler,
	IssueInvoiceHandler,
	PriceLinesHandler,
} from "../../examples/billing-worker/src/billing-handlers";
import { createWorker } from "../../src/create-worker";
import { handlerModules, templates as ownTemplates } from "../../src/generated/registry";
import { createHandlerWorker } from "../../src/handler-worker";
import * as fixtures from "../generated/fixture-registry";

export { FleetWriter } from "../../durable-objects/fleet-writer";
export { TaskObject } from "../../durable-objects/task-object";
export { WorkQueueObject } from "../../durable-objects/work-queue-object";

const templates = [...ownTemplates, ...billingTemplates];

/** Schedules over the same templates as the orchestrator under test. */
export class ScheduleObject extends createScheduleObject([...templates, ...fixtures.templates]) {}

const orchestrator = createWorker({
	handlerModules: [...handlerModules, ...fixtures.handlerModules],
	templates: [...templates, ...fixtures.templates],
});

/** The billing namespace's consumer, as examples/billing-worker builds it: its handlers only. */
const billingWorker = createHandlerWorker({
	handlers: [PriceLinesHandler, ApplyTaxHandler, ApplyDiscountHandler, IssueInvoiceHandler],
});

/** What a domain-event subscriber received (the DOMAIN_EVENTS queue), in order of delivery. */
export const domainEventsReceived: unknown[] = [];

/** Which queue each step's first delivery came through, for the tests of routing per namespace. */
export const deliveries: Array<{ queue: string; step_name: string }> = [];

export default {
	fetch: orchestrator.fetch,
	// Two Workers in one: each queue goes to the consumer its own Worker would run.
	async queue(batch: MessageBatch<unknown>, env: Env) {
		// A subscriber of the domain events, as a user's Worker would be (examples/domain-event-subscriber).
		if (batch.queue === "tasker-domain-events") {
			for (const message of batch.messages) domainEventsReceived.push(message.body);
			batch.ackAll();
			return;
		}
		for (const message of batch.messages) {
			const body = message.body as { step_name?: string };
			deliveries.push({ queue: batch.queue, step_name: String(body?.step_name) });
		}
		if (batch.queue === "tasker-steps-billing") return billingWorker.queue(batch, env);
		return orchestrator.queue(batch, env);
	},
} satisfies ExportedHandler<Env>;
