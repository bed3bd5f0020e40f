// Waiting steps in the pure engine: a wait_for_event step is a row and a deadline (no message, no
// consumer) until its event completes it, with the payload as its result and its dependents started
// in the same operation; an early event is kept and delivered when the step waits; a duplicate
// event_id is applied once; a timeout fails like a timed-out attempt or completes with null; a sleep
// wakes at its time and not before; staleness leaves a waiting task alone.
import { describe, expect, it } from "vitest";
import { metricsDelta } from "../../src/core/metrics-delta";
import { deliverEvent, type TaskEvent } from "../../src/core/wait-event";
import { MAX_BUFFERED_EVENTS_PER_TASK } from "../../src/limits";
import type { TaskTemplate } from "../../src/templates/task-template";
import { validateTemplateText } from "../../src/templates/validate-template";
import { EngineDriver, names, SEND_GRACE_MS } from "../support/engine-driver";

function template(yaml: string): TaskTemplate {
	const result = validateTemplateText(
		`name: waits\nnamespace_name: testing\nversion: 1.0.0\nsteps:\n${yaml}`,
	);
	if (!result.ok) throw new Error(JSON.stringify(result.problems));
	return result.template;
}

const PAYMENT = template(`
  - { name: validate, handler: { callable: Validate } }
  - name: await_payment
    type: wait_for_event
    dependencies: [validate]
    event: { name: payment_confirmed, timeout_seconds: 3600, match: order_id }
    retry: { max_attempts: 2, backoff: none }
  - { name: ship, handler: { callable: Ship }, dependencies: [await_payment] }
  - { name: email, handler: { callable: Email }, dependencies: [await_payment] }
`);

function send(d: EngineDriver, event: Partial<TaskEvent> & { name?: string }) {
	return deliverEvent(
		d.store,
		{ name: "payment_confirmed", payload: { order_id: "o-1" }, eventId: null, ...event },
		d.now,
		() => `event-${d.now}-${Math.random()}`,
		SEND_GRACE_MS,
	);
}

/** Creates the payment task and completes `validate`: await_payment is then waiting. */
function waitingForPayment() {
	const d = new EngineDriver();
	d.create(PAYMENT, { order_id: "o-1" });
	const [validate] = d.alarm();
	if (!validate) throw new Error("validate was not sent");
	const next = d.complete(validate);
	return { d, next };
}

describe("a wait_for_event step", () => {
	it("waits as a row and a deadline: no message, no consumer, the task in process", () => {
		const { d, next } = waitingForPayment();
		expect(next).toEqual([]);
		const step = d.step("await_payment");
		expect(step).toMatchObject({ state: "waiting_for_event", attempt: 1, deadlineAt: d.now + 3_600_000 });
		expect(d.task.status).toBe("steps_in_process");
		expect(d.nextWake).toBe(d.now + 3_600_000);
		// An alarm pass before the deadline changes nothing and sends nothing.
		d.now += 3_599_999;
		expect(d.alarm()).toEqual([]);
		expect(d.step("await_payment").state).toBe("waiting_for_event");
	});

	it("completes with the event's payload, its dependents starting in the same operation; a duplicate event_id changes nothing", () => {
		const { d } = waitingForPayment();
		d.now += 60_000;
		const outcome = send(d, { payload: { order_id: "o-1", amount: 109.97 }, eventId: "evt-1" });
		expect(outcome).toMatchObject({
			kind: "delivered",
			stepName: "await_payment",
			taskStatus: "steps_in_process",
		});
		if (outcome.kind !== "delivered") throw new Error("not delivered");
		expect(names(outcome.effects.dispatches)).toEqual(["email", "ship"]);
		expect(d.step("await_payment")).toMatchObject({ state: "complete", deadlineAt: null });
		expect(d.step("await_payment").result).toMatchObject({
			result: { order_id: "o-1", amount: 109.97 },
			metadata: { execution_time_ms: 60_000, custom: { event_id: "evt-1" } },
		});

		const transitions = d.store.transitions.length;
		expect(send(d, { payload: { order_id: "o-1", amount: 1 }, eventId: "evt-1" })).toEqual({
			kind: "duplicate",
			stepUuid: d.step("await_payment").stepUuid,
			stepName: "await_payment",
			taskStatus: d.task.status,
		});
		expect(d.store.transitions.length).toBe(transitions);
		expect(d.step("await_payment").result?.result).toEqual({ order_id: "o-1", amount: 109.97 });
		const { counters } = metricsDelta({
			transitions: d.store.transitions,
			firstPush: true,
			resultsDropped: 0,
			claimsDropped: 0,
		});
		expect(counters).toMatchObject({ waits_started: 1, waits_ended: 1 });
	});

	it("records when the API received the event on the step's complete transition and in the inbox, never later than the object's clock", () => {
		const { d } = waitingForPayment();
		d.now += 60_000;
		const receivedAt = d.now - 7;
		expect(send(d, { eventId: "evt-1", receivedAt }).kind).toBe("delivered");
		const done = d.store.transitions.find((t) => t.stepName === "await_payment" && t.toState === "complete");
		expect(done?.at).toBe(d.now);
		expect(done?.metadata).toMatchObject({
			event_id: "evt-1",
			received_at: new Date(receivedAt).toISOString(),
		});
		expect(d.store.events.find("evt-1")?.receivedAt).toBe(receivedAt);
		// Only on the transition: the step's result is the payload and the event's name and id, as before.
		expect(d.step("await_payment").result?.metadata).toMatchObject({ custom: { event_id: "evt-1" } });
		expect(d.step("await_payment").result?.metadata).not.toHaveProperty("custom.received_at");

		// A sender's clock ahead of the object's, or no time given: the object's own clock.
		const ahead = waitingForPayment().d;
		expect(send(ahead, { eventId: "evt-2", receivedAt: ahead.now + 5_000 }).kind).toBe("delivered");
		const aheadDone = ahead.store.transitions.find(
			(t) => t.toState === "complete" && t.stepName === "await_payment",
		);
		expect(aheadDone?.metadata?.received_at).toBe(new Date(ahead.now).toISOString());
		const none = waitingForPayment().d;
		expect(send(none, { eventId: "evt-3" }).kind).toBe("delivered");
		expect(none.store.events.find("evt-3")?.receivedAt).toBe(none.now);
	});

	it("keeps an event sent before the step waits, and delivers it when it does", () => {
		const d = new EngineDriver();
		d.create(PAYMENT, { order_id: "o-1" });
		expect(send(d, { eventId: "early" })).toMatchObject({ kind: "buffered" });
		const [validate] = d.alarm();
		if (!validate) throw new Error("validate was not sent");
		d.complete(validate);
		// Its deadline is now: the next alarm pass delivers the kept event.
		expect(d.step("await_payment")).toMatchObject({ state: "waiting_for_event", deadlineAt: d.now });
		expect(names(d.alarm())).toEqual(["email", "ship"]);
		expect(d.step("await_payment").result?.result).toEqual({ order_id: "o-1" });
		expect(d.store.events.find("early")?.consumedBy).toBe(d.step("await_payment").stepUuid);
	});

	it("takes only an event whose match path equals the task's", () => {
		const { d } = waitingForPayment();
		expect(send(d, { payload: { order_id: "o-2" } })).toMatchObject({ kind: "buffered" });
		expect(send(d, { name: "payment_refused" })).toMatchObject({ kind: "buffered" });
		expect(d.step("await_payment").state).toBe("waiting_for_event");
		expect(send(d, { payload: { order_id: "o-1" } })).toMatchObject({ kind: "delivered" });
	});

	it("refuses to keep more than the limit of events no step waits for", () => {
		const { d } = waitingForPayment();
		for (let i = 0; i < MAX_BUFFERED_EVENTS_PER_TASK; i += 1) {
			expect(send(d, { name: "other", eventId: `e-${i}` })).toMatchObject({ kind: "buffered" });
		}
		expect(send(d, { name: "other", eventId: "one-too-many" })).toEqual({
			kind: "inbox_full",
			limit: MAX_BUFFERED_EVENTS_PER_TASK,
		});
		// A waiting step still takes its own event.
		expect(send(d, {})).toMatchObject({ kind: "delivered" });
	});

	it("times out like a timed-out attempt: retried (waiting again) while attempts remain, then error", () => {
		const { d } = waitingForPayment();
		d.now += 3_600_000;
		// Backoff none: the retry starts in the same alarm pass, and waits again as attempt 2.
		expect(d.alarm()).toEqual([]);
		expect(d.step("await_payment")).toMatchObject({ state: "waiting_for_event", attempt: 2 });
		expect(d.step("await_payment").lastError).toMatchObject({
			error_type: "timeout",
			error_code: "EVENT_TIMEOUT",
		});
		const log = d.store.listTransitions(d.step("await_payment").stepUuid).map((t) => t.toState);
		expect(log).toEqual(["waiting_for_event", "waiting_for_retry", "waiting_for_event"]);
		d.now += 3_600_000;
		d.alarm();
		expect(d.step("await_payment").state).toBe("error");
		expect(d.task.status).toBe("error");
		expect(send(d, {})).toMatchObject({ kind: "task_finished" });
	});

	it("with on_timeout complete_with_null, completes with null and its dependents start", () => {
		const d = new EngineDriver();
		d.create(
			template(`
  - name: approval
    type: wait_for_event
    event: { name: approved, timeout_seconds: 10, on_timeout: complete_with_null }
  - { name: after, handler: { callable: After }, dependencies: [approval] }
`),
		);
		expect(d.alarm()).toEqual([]);
		d.now += 10_000;
		expect(names(d.alarm())).toEqual(["after"]);
		expect(d.step("approval").result?.result).toBeNull();
		// The same alarm again: nothing is due any more.
		expect(d.alarm()).toEqual([]);
	});

	it("is cancelled with its task", () => {
		const { d } = waitingForPayment();
		d.cancel();
		expect(d.step("await_payment").state).toBe("cancelled");
		expect(send(d, {})).toMatchObject({ kind: "task_finished" });
	});

	it("keeps a task that waits for days from going stale", () => {
		const { d } = waitingForPayment();
		const long = template(`
  - name: approval
    type: wait_for_event
    event: { name: approved, timeout_seconds: 864000 }
`);
		const w = new EngineDriver();
		w.create(long);
		expect(w.nextWake).toBe(w.now + 864_000_000);
		w.now += 5 * 86_400_000;
		w.alarm();
		expect(w.task.status).toBe("steps_in_process");
		expect(d.task.status).toBe("steps_in_process");
	});
});

describe("a sleep step", () => {
	it("sleeps until its time and not before, then its dependents start", () => {
		const d = new EngineDriver();
		d.create(
			template(`
  - { name: pause, type: sleep, sleep: { seconds: 2 } }
  - { name: after, handler: { callable: After }, dependencies: [pause] }
`),
		);
		expect(d.step("pause")).toMatchObject({ state: "sleeping", deadlineAt: d.now + 2_000 });
		d.now += 1_999;
		expect(d.alarm()).toEqual([]);
		expect(d.step("pause").state).toBe("sleeping");
		d.now += 1;
		expect(names(d.alarm())).toEqual(["after"]);
		expect(d.step("pause").result?.result).toEqual({ slept_until: new Date(d.now).toISOString() });
	});

	it("reads its wake time from the context or a dependency's result; an unreadable one fails the step", () => {
		const until = template(`
  - { name: first, handler: { callable: First } }
  - { name: pause, type: sleep, sleep: { until: first.wake_at }, dependencies: [first] }
`);
		const d = new EngineDriver();
		d.create(until);
		const [first] = d.alarm();
		if (!first) throw new Error("first was not sent");
		const wake = new Date(d.now + 60_000).toISOString();
		d.complete(first, { wake_at: wake });
		expect(d.step("pause")).toMatchObject({ state: "sleeping", deadlineAt: Date.parse(wake) });

		const bad = new EngineDriver();
		bad.create(template(`  - { name: pause, type: sleep, sleep: { until: context.remind_at } }`), {
			remind_at: "tomorrow-ish",
		});
		expect(bad.step("pause").state).toBe("error");
		expect(bad.step("pause").lastError?.message).toContain('"tomorrow-ish"');
		expect(bad.task.status).toBe("error");
	});
});

describe("waiting steps in a template", () => {
	/** The problems of a template with these steps, each as `path: message`. */
	const problems = (yaml: string) => {
		const result = validateTemplateText(`name: w\nnamespace_name: testing\nversion: 1.0.0\nsteps:\n${yaml}`);
		return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
	};

	it("are refused with the path of what is wrong", () => {
		expect(problems("  - { name: w, type: wait_for_event, event: { name: x } }")).toEqual([
			"steps[0].event.timeout_seconds: required but missing: expected an integer from 1 to 31536000",
		]);
		expect(
			problems(
				"  - { name: w, type: wait_for_event, event: { name: x, timeout_seconds: 5 }, handler: { callable: H } }",
			)[0],
		).toContain("steps[0].handler: a wait_for_event step has no handler");
		expect(problems("  - { name: s, type: sleep, sleep: { seconds: 1, until: context.t } }")[0]).toContain(
			"exactly one of seconds or until",
		);
		expect(problems("  - { name: s, type: sleep, sleep: { until: other.t } }")[0]).toContain(
			"steps[0].sleep.until",
		);
		expect(
			problems("  - { name: w, type: wait_for_event, event: { name: 'bad name', timeout_seconds: 5 } }")[0],
		).toContain("steps[0].event.name");
	});

	// Found by probing: `type: slep` was told of the five reference types only, with no hint, and drew
	// errors about a handler and an unknown `sleep:` key besides.
	it("name a misspelt type once, with every type there is and the closest", () => {
		expect(problems("  - { name: s, type: slep, sleep: { seconds: 5 } }")).toEqual([
			'steps[0].type: expected one of: standard, decision, deferred_convergence, batchable, batch_worker, wait_for_event, sleep, got "slep" (did you mean "sleep"?)',
		]);
		expect(problems("  - { name: d, step_type: decison, handler: { callable: H } }")).toEqual([
			expect.stringMatching(
				/^steps\[0\]\.step_type: expected one of: .*, got "decison" \(did you mean "decision"\?\)$/,
			),
		]);
		// The reference's alias `step_type` names a wait as `type` does.
		expect(problems("  - { name: s, step_type: sleep, sleep: { seconds: 5 } }")).toEqual([]);
	});
});
