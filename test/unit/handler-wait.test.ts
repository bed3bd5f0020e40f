// A handler that ends by waiting (StepHandlerResult.waitForEvent): the SDK's wire form passes through
// runStepHandler unchanged; recorded, the step waits for its event like a wait_for_event step (its
// payload becomes the result, the handler's partial result is kept beside it), its timeout fails the
// attempt (a retry runs the handler again) or completes with null; the attempt fence holds; an event
// kept before the handler finished is delivered; a wait the engine cannot read fails the step for good.
// Late events: an event no unfinished step waits or may wait for is refused and changes nothing.
import { StepHandler, StepHandlerResult } from "tasker-edge";
import { describe, expect, it } from "vitest";
import type { StepOutcome, StepRunInput } from "../../src/core/step-outcome";
import { deliverEvent, type TaskEvent } from "../../src/core/wait-event";
import { runStepHandler } from "../../src/handler-api/run-step-handler";
import type { TaskTemplate } from "../../src/templates/task-template";
import { validateTemplateText } from "../../src/templates/validate-template";
import { EngineDriver, names, SEND_GRACE_MS } from "../support/engine-driver";

function template(yaml: string): TaskTemplate {
	const result = validateTemplateText(
		`name: handler_waits\nnamespace_name: testing\nversion: 1.0.0\nsteps:\n${yaml}`,
	);
	if (!result.ok) throw new Error(JSON.stringify(result.problems));
	return result.template;
}

const PAYMENT = template(`
  - { name: process_payment, handler: { callable: ProcessPayment }, retry: { max_attempts: 2, backoff: none } }
  - { name: ship, handler: { callable: Ship }, dependencies: [process_payment] }
`);

function waitOutcome(result: StepHandlerResult, executionMs = 12): StepOutcome {
	// What crosses the queue: plain JSON.
	return JSON.parse(
		JSON.stringify({
			success: true,
			result: result.result,
			metadata: result.metadata,
			execution_time_ms: executionMs,
		}),
	);
}

const WAIT = StepHandlerResult.waitForEvent("payment_confirmed", {
	timeoutSeconds: 600,
	match: "order_id",
	result: { payment_id: "pay-77" },
	metadata: { provider: "stripe" },
});

function send(d: EngineDriver, event: Partial<TaskEvent>) {
	return deliverEvent(
		d.store,
		{ name: "payment_confirmed", payload: { order_id: "o-1" }, eventId: null, ...event },
		d.now,
		() => `event-${d.now}`,
		SEND_GRACE_MS,
	);
}

/** The payment task with process_payment's first attempt claimed (its handler running). */
function running() {
	const d = new EngineDriver();
	d.create(PAYMENT, { order_id: "o-1" });
	const [message] = d.alarm();
	if (!message) throw new Error("process_payment was not sent");
	expect(d.claim(message).kind).toBe("run");
	return { d, message };
}

describe("StepHandlerResult.waitForEvent", () => {
	it("is a success marked as a wait, in the reference's snake_case, and passes through runStepHandler", async () => {
		expect(WAIT.isWaitForEvent()).toBe(true);
		expect(StepHandlerResult.success({ a: 1 }).isWaitForEvent()).toBe(false);
		expect(WAIT.toJSON()).toMatchObject({
			success: true,
			result: {
				type: "wait_for_event",
				event: { name: "payment_confirmed", timeout_seconds: 600, match: "order_id" },
				result: { payment_id: "pay-77" },
			},
			metadata: { provider: "stripe", wait_for_event: true },
		});
		class Pay extends StepHandler {
			static override handlerName = "Pay";
			async call() {
				return WAIT;
			}
		}
		const input = {
			task_uuid: "t",
			step_uuid: "s",
			step_name: "process_payment",
			namespace: "default",
			task_name: "t",
			task_version: "1.0.0",
			correlation_id: "c",
			callable: "Pay",
			initialization: {},
			context: {},
			dependency_results: {},
			attempt: 1,
			max_attempts: 1,
			timeout_seconds: 30,
			// The schema judges the event's payload's step, not the wait request: it is not applied here.
			result_schema: { type: "object", required: ["paid"] },
		} satisfies StepRunInput;
		const outcome = await runStepHandler(Pay, input);
		expect(outcome).toMatchObject({ success: true, result: WAIT.result, metadata: WAIT.metadata });
	});
});

describe("a handler's step that ends by waiting", () => {
	it("waits for its event as a row and a deadline, then completes with the payload, the handler's result kept beside it", () => {
		const { d, message } = running();
		const applied = d.report(message, waitOutcome(WAIT));
		expect(applied).toMatchObject({
			kind: "applied",
			stepState: "waiting_for_event",
			taskStatus: "steps_in_process",
		});
		if (applied.kind !== "applied") throw new Error("dropped");
		expect(applied.effects.dispatches).toEqual([]);
		expect(applied.effects.wakeAt).toBe(d.now + 600_000);
		expect(d.step("process_payment")).toMatchObject({
			state: "waiting_for_event",
			deadlineAt: d.now + 600_000,
		});
		// A repeat of the same report (the queue delivered it twice) is fenced: nothing changes.
		expect(d.report(message, waitOutcome(WAIT))).toMatchObject({ kind: "dropped" });
		// Another order's confirmation does not match.
		expect(send(d, { payload: { order_id: "o-2" } })).toMatchObject({ kind: "buffered" });

		d.now += 30_000;
		const delivered = send(d, { payload: { order_id: "o-1", amount: 42 }, eventId: "evt-1" });
		expect(delivered).toMatchObject({ kind: "delivered", stepName: "process_payment" });
		if (delivered.kind !== "delivered") throw new Error("not delivered");
		expect(names(delivered.effects.dispatches)).toEqual(["ship"]);
		const step = d.step("process_payment");
		expect(step.state).toBe("complete");
		expect(step.handlerWait).toBeUndefined();
		expect(step.result).toEqual({
			result: { order_id: "o-1", amount: 42 },
			metadata: {
				execution_time_ms: 30_000,
				attempt: 1,
				custom: {
					provider: "stripe",
					handler_result: { payment_id: "pay-77" },
					event_id: "evt-1",
					event: "payment_confirmed",
				},
			},
		});
		// The late result of the same attempt, arriving after the event, is still dropped.
		expect(d.report(message, waitOutcome(WAIT))).toMatchObject({ kind: "dropped" });
	});

	it("takes an event that arrived while its handler was still running", () => {
		const { d, message } = running();
		expect(send(d, { eventId: "early", payload: { order_id: "o-1", early: true } })).toMatchObject({
			kind: "buffered",
		});
		d.report(message, waitOutcome(WAIT));
		expect(d.step("process_payment")).toMatchObject({ state: "waiting_for_event", deadlineAt: d.now });
		expect(names(d.alarm())).toEqual(["ship"]);
		expect(d.step("process_payment").result?.result).toEqual({ order_id: "o-1", early: true });
	});

	it("times out as a failed attempt: the retry runs the handler again (a message, not a wait)", () => {
		const { d, message } = running();
		d.report(message, waitOutcome(WAIT));
		d.now += 599_999;
		expect(d.alarm()).toEqual([]);
		d.now += 1;
		// No backoff: the same pass fails the attempt and sends the retry to a consumer.
		const [retry] = d.alarm();
		expect(retry).toMatchObject({ step_name: "process_payment", attempt: 2 });
		const step = d.step("process_payment");
		expect(step).toMatchObject({ state: "enqueued", lastError: { error_code: "EVENT_TIMEOUT" } });
		expect(step.lastError?.metadata).toMatchObject({ handler_wait: true, event: "payment_confirmed" });
		expect(step.handlerWait).toBeUndefined();
	});

	it("completes with null on timeout when the handler said so", () => {
		const { d, message } = running();
		const wait = StepHandlerResult.waitForEvent("approved", {
			timeoutSeconds: 5,
			onTimeout: "complete_with_null",
		});
		d.report(message, waitOutcome(wait));
		d.now += 5_000;
		expect(names(d.alarm())).toEqual(["ship"]);
		expect(d.step("process_payment")).toMatchObject({ state: "complete", result: { result: null } });
	});

	it("fails for good, naming the field, when the wait cannot be read", () => {
		const { d, message } = running();
		const bad = StepHandlerResult.waitForEvent("bad name!", { timeoutSeconds: 0 });
		d.report(message, waitOutcome(bad));
		const step = d.step("process_payment");
		expect(step.state).toBe("error");
		expect(step.lastError).toMatchObject({ error_code: "invalid_wait", retryable: false });
		expect(step.lastError?.message).toContain('event.name is "bad name!"');
	});
});

describe("a late event", () => {
	const ONLY_WAITS = template(`
  - name: await_approval
    type: wait_for_event
    event: { name: approved, timeout_seconds: 600 }
  - { name: pause, type: sleep, sleep: { seconds: 3600 }, dependencies: [await_approval] }
`);

	it("is refused when no unfinished step waits or may wait for it, and changes nothing", () => {
		const d = new EngineDriver();
		d.create(ONLY_WAITS, {});
		expect(send(d, { name: "approved", eventId: "a-1" })).toMatchObject({ kind: "delivered" });
		expect(d.step("pause").state).toBe("sleeping");
		const transitions = d.store.transitions.length;
		expect(send(d, { name: "approved", eventId: "a-2" })).toEqual({
			kind: "not_awaited",
			name: "approved",
			taskStatus: "steps_in_process",
		});
		expect(send(d, { name: "never_declared" })).toMatchObject({ kind: "not_awaited" });
		expect(d.store.events.find("a-2")).toBeNull();
		expect(d.store.events.keptCount()).toBe(0);
		expect(d.store.transitions.length).toBe(transitions);
	});

	it("is kept while a handler's step is unfinished: a handler may end by waiting for any event", () => {
		const { d } = running();
		expect(send(d, { name: "anything_at_all" })).toMatchObject({ kind: "buffered" });
	});
});
