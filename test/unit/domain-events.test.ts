// Domain events in the pure core: which declared events an outcome publishes, in what shape, recorded
// exactly once with the result (a duplicate report records nothing), and never changing the outcome.
import { describe, expect, it } from "vitest";
import { claimStep } from "../../src/core/claim-step";
import { createTask } from "../../src/core/create-task";
import { buildDomainEvents, conditionMatches } from "../../src/core/domain-events";
import { runDueWork } from "../../src/core/due-work";
import { recordResult } from "../../src/core/record-result";
import type { StepOutcome } from "../../src/core/step-outcome";
import type { TaskTemplate } from "../../src/templates/task-template";
import { validateTemplate } from "../../src/templates/validate-template";
import { MemoryTaskStore } from "../support/memory-task-store";

function eventTemplate(): TaskTemplate {
	const result = validateTemplate({
		name: "events",
		namespace_name: "shop",
		version: "1.0.0",
		steps: [
			{
				name: "pay",
				handler: { callable: "Pay" },
				retry: { max_attempts: 2 },
				publishes_events: [
					{ name: "payment.processed", schema: { type: "object", required: ["amount"] } },
					{ name: "payment.retrying", condition: "retryable_failure" },
					{ name: "payment.failed", condition: "permanent_failure" },
					{ name: "payment.any_failure", condition: "failure" },
					{ name: "payment.audited", condition: "always", delivery_mode: "broadcast" },
				],
			},
		],
	});
	if (!result.ok) throw new Error(JSON.stringify(result.problems));
	return result.template;
}

const success = (result: unknown): StepOutcome => ({
	success: true,
	result,
	metadata: {},
	execution_time_ms: 3,
});
const failure = (retryable: boolean): StepOutcome => ({
	success: false,
	error: {
		name: "Err",
		error_type: retryable ? "retryable_error" : "permanent_error",
		error_code: null,
		message: "no",
		retryable,
		retry_after_seconds: null,
		metadata: {},
	},
	execution_time_ms: 3,
});

function setUp() {
	const store = new MemoryTaskStore();
	let id = 0;
	createTask(
		store,
		{
			taskUuid: "task-1",
			template: eventTemplate(),
			context: {},
			initiator: "t",
			sourceSystem: "t",
			reason: "t",
			tags: [],
			priority: 0,
			correlationId: "corr-1",
			parentCorrelationId: null,
		},
		1_000,
		() => `step-${++id}`,
		5_000,
	);
	const step = store.listSteps()[0];
	if (!step) throw new Error("no step");
	const run = (attempt: number, outcome: StepOutcome, now: number) => {
		claimStep(store, step.stepUuid, attempt, now);
		return recordResult(store, step.stepUuid, attempt, outcome, {
			now,
			random: 0.5,
			sendGraceMs: 5_000,
			events: {
				newEventId: () => `event-${++id}`,
				checkPayload: (schema, payload) =>
					(schema as { required?: string[] }).required?.filter(
						(key) => typeof payload !== "object" || payload === null || !(key in payload),
					) ?? [],
			},
		});
	};
	return { store, step, run };
}

describe("conditions", () => {
	it.each([
		["success", [true, false, false]],
		["failure", [false, true, true]],
		["retryable_failure", [false, true, false]],
		["permanent_failure", [false, false, true]],
		["always", [true, true, true]],
	] as const)("%s matches: success, retryable failure, permanent failure", (condition, expected) => {
		expect([
			conditionMatches(condition, true, false),
			conditionMatches(condition, false, true),
			conditionMatches(condition, false, false),
		]).toEqual(expected);
	});
});

describe("recording with the result", () => {
	it("a retryable failure publishes retryable_failure, failure and always events, saved with the outcome", () => {
		const { store, run } = setUp();
		const outcome = run(1, failure(true), 2_000);
		expect(outcome.kind).toBe("applied");
		if (outcome.kind !== "applied") return;
		expect(outcome.stepState).toBe("waiting_for_retry");
		expect(outcome.events.map((e) => e.event_name)).toEqual([
			"payment.retrying",
			"payment.any_failure",
			"payment.audited",
		]);
		expect(store.domainEvents.map((e) => [e.event.event_name, e.dueAt])).toEqual([
			["payment.retrying", 7_000],
			["payment.any_failure", 7_000],
			["payment.audited", 7_000],
		]);
		expect(outcome.events[2]).toMatchObject({
			event_version: "1.0",
			delivery_mode: "broadcast",
			payload: {
				payload: { error_type: "retryable_error" },
				execution_result: { success: false, attempt: 1 },
			},
			metadata: {
				task_uuid: "task-1",
				correlation_id: "corr-1",
				fired_at: new Date(2_000).toISOString(),
				fired_by: "Pay",
			},
		});
	});

	it("the last attempt failing publishes permanent_failure, not retryable_failure", () => {
		const { store, run } = setUp();
		run(1, failure(true), 2_000);
		runDueWork(
			store,
			70_000,
			5_000,
			() => 0.5,
			() => "unused",
		);
		const last = run(2, failure(true), 70_000);
		expect(last.kind === "applied" && last.events.map((e) => e.event_name)).toEqual([
			"payment.failed",
			"payment.any_failure",
			"payment.audited",
		]);
	});

	it("a success publishes its result as the payload; one breaking the event's schema is counted, not published", () => {
		const { store, run } = setUp();
		const good = run(1, success({ amount: 5 }), 2_000);
		expect(good.kind === "applied" && good.events.map((e) => [e.event_name, e.payload.payload])).toEqual([
			["payment.processed", { amount: 5 }],
			["payment.audited", { amount: 5 }],
		]);
		expect(store.task?.stats.domainEventsRecorded).toBe(2);

		const other = setUp();
		const bad = other.run(1, success({ total: 5 }), 2_000);
		expect(bad.kind === "applied" && bad.events.map((e) => e.event_name)).toEqual(["payment.audited"]);
		expect(bad.kind === "applied" && bad.rejectedEvents).toEqual([
			{ event_name: "payment.processed", problems: ["amount"] },
		]);
		expect(bad.kind === "applied" && bad.stepState).toBe("complete");
		expect(other.store.task?.stats.domainEventsRejected).toBe(1);
	});

	it("a duplicate of the result records nothing more", () => {
		const { store, step, run } = setUp();
		run(1, success({ amount: 5 }), 2_000);
		const again = recordResult(store, step.stepUuid, 1, success({ amount: 5 }), {
			now: 3_000,
			random: 0.5,
			sendGraceMs: 5_000,
			events: { newEventId: () => "never", checkPayload: () => [] },
		});
		expect(again.kind).toBe("dropped");
		expect(store.domainEvents).toHaveLength(2);
	});

	it("a step without declared events writes nothing for them", () => {
		const { store, step } = setUp();
		const built = buildDomainEvents(store.loadTask() as never, step, [], success({}), {
			now: 1,
			newEventId: () => "x",
			checkPayload: () => [],
		});
		expect(built).toEqual({ events: [], rejected: [] });
	});
});
