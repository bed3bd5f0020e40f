// A simulated Cloudflare platform around the pure engine, for the chaos suite only: one task object
// (the memory store, its alarm, its in-memory sends), a queue that delivers at least once, late and
// out of order, and consumers that run handlers and report. Time is simulated, so timeouts and
// backoffs fire in microseconds. Every fault of FAULT_KINDS is injected here, never in src/.
// The shell logic mirrors durable-objects/task-object.ts and src/queue/step-consumer.ts step for step.
import { claimStep } from "../../../src/core/claim-step";
import { createTask } from "../../../src/core/create-task";
import { confirmDispatched, dispatchFailed, runDueWork } from "../../../src/core/due-work";
import { cancelTask } from "../../../src/core/operator-actions";
import { recordResults } from "../../../src/core/record-results";
import { isTerminalTaskState } from "../../../src/core/states";
import type { StepMessage } from "../../../src/core/step-message";
import type { StepOutcome, StepRunInput } from "../../../src/core/step-outcome";
import { timeoutError } from "../../../src/core/step-timeout";
import { STEP_DEADLINE_GRACE_MS } from "../../../src/limits";
import { MemoryTaskStore } from "../memory-task-store";
import {
	FAULT_KINDS,
	type FaultKind,
	type FaultRates,
	type Role,
	type Scenario,
	specIndex,
	stepName,
	templateOf,
} from "./chaos-scenario";

const SEND_GRACE_MS = 5_000;
const SEND_RETRY_MS = 1_000;
/** Faults that make the queue redeliver a message stop before its max_retries (10 in wrangler.toml). */
const MAX_FAULTED_DELIVERIES = 6;
/** The platform retries a throwing alarm from 2 s, doubling, 6 times; the chaos stays below that. */
const MAX_ALARM_THROWS_IN_A_ROW = 4;
const START = 1_700_000_000_000;
const GIVE_UP_AFTER_MS = 24 * 3_600_000;
const MAX_EVENTS = 100_000;

/** What the harness itself counted, independently of the engine's own counters. */
export interface ChaosCounts {
	faults: Record<FaultKind, number>;
	/** Copies the queue accepted for an attempt the queue had not seen: one per dispatched attempt. */
	originals: number;
	/** Copies the engine sent again for an attempt the queue already had (a lost confirmation). */
	resends: number;
	/** Extra copies the queue made (the `duplicate` fault). */
	duplicates: number;
	/** Copies the queue accepted and never delivered (the `message_lost` fault). */
	lost: number;
	/** Messages the queue delivered again because a consumer ran them but did not ack (crash, lost report or reply). */
	runRedeliveries: number;
	/** Messages retried because the claim could not reach the object (no run happened). */
	claimRetries: number;
	deliveries: number;
	handovers: number;
	runs: number;
	/** Runs (or handed-over steps) whose outcome never reached the object. */
	unreported: number;
	applied: number;
	claimDrops: number;
	resultDrops: number;
	/** Result drops of attempts the object had timed out. */
	lateAfterTimeout: number;
	/** Attempts running when the task was cancelled (their outcome is never applied). */
	cutByCancel: number;
	/** Attempts sent to the queue but never started, because the task was cancelled first. */
	neverStarted: number;
	events: number;
}

export interface ChaosRun {
	scenario: Scenario;
	store: MemoryTaskStore;
	counts: ChaosCounts;
	/** Broken during the run (the end-state checks are in chaos-invariants.ts). */
	violations: string[];
	/** Attempts started (claimed for a run, or handed over), by `step_uuid#attempt`. */
	started: Set<string>;
	/** Attempts whose reported outcome the object applied, by `step_uuid#attempt`. */
	appliedKeys: Set<string>;
	/** What each applied success returned, by step name. */
	successes: Map<string, unknown[]>;
	settled: boolean;
	/** The operator's cancel was applied. */
	cancelled: boolean;
	/** What each convergence step saw of its declared dependencies when it first ran (dynamic scenarios). */
	convergenceSaw: Map<string, string[]>;
}

/** The choices tape: each decision takes the next number (0–99); once it is used up, every decision is 0. */
class Tape {
	private i = 0;
	private readonly choices: readonly number[];
	private readonly rates: FaultRates;
	private readonly counts: ChaosCounts;
	constructor(choices: readonly number[], rates: FaultRates, counts: ChaosCounts) {
		this.choices = choices;
		this.rates = rates;
		this.counts = counts;
	}
	next(): number {
		return this.choices[this.i++] ?? 0;
	}
	/** Whether the fault strikes here (counted when it does). A choice of 0 never injects one. */
	fault(kind: FaultKind): boolean {
		const strikes = this.next() >= 100 - this.rates[kind];
		if (strikes) this.counts.faults[kind] += 1;
		return strikes;
	}
}

interface QueuedCopy {
	body: StepMessage;
	/** Deliveries so far (the platform's `message.attempts`). */
	attempts: number;
}

interface Invocation {
	alive: boolean;
	/** Runs started in this invocation whose outcome has not been reported yet. */
	inFlight: number;
	message: QueuedCopy;
	/** The message's own step reported (and the message acked, or handed back to the queue). */
	settledMessage: boolean;
}

type Owner = "object" | "queue" | "operator" | Invocation;

interface SimEvent {
	at: number;
	seq: number;
	owner: Owner;
	run: () => void;
}

const keyOf = (stepUuid: string, attempt: number) => `${stepUuid}#${attempt}`;

export function runChaos(scenario: Scenario): ChaosRun {
	const counts: ChaosCounts = {
		faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
		originals: 0,
		resends: 0,
		duplicates: 0,
		lost: 0,
		runRedeliveries: 0,
		claimRetries: 0,
		deliveries: 0,
		handovers: 0,
		runs: 0,
		unreported: 0,
		applied: 0,
		claimDrops: 0,
		resultDrops: 0,
		lateAfterTimeout: 0,
		cutByCancel: 0,
		neverStarted: 0,
		events: 0,
	};
	const tape = new Tape(scenario.choices, scenario.rates, counts);
	const store = new MemoryTaskStore();
	const violations: string[] = [];
	const started = new Set<string>();
	const appliedKeys = new Set<string>();
	const resultDropKeys: string[] = [];
	const successes = new Map<string, unknown[]>();
	const queuedKeys = new Set<string>();
	const ancestors = ancestorNames(scenario);
	const random = () => 0.5;
	let dlqIds = 0;
	let dynamicIds = 0;
	/** What each convergence step saw of its declared dependencies when it first ran, by name. */
	const convergenceSaw = new Map<string, string[]>();
	const newDlqId = () => `chaos-dlq-${++dlqIds}`;

	let now = START;
	let seq = 0;
	let events: SimEvent[] = [];
	const schedule = (at: number, owner: Owner, run: () => void) => events.push({ at, seq: seq++, owner, run });

	// ---- the task object: its persisted alarm (meta `alarm_at` and the platform's alarm) ------------
	let alarmMeta: number | null = null;
	let alarmFireAt: number | null = null;
	let alarmThrows = 0;
	const arm = (wakeAt: number | null) => {
		if (wakeAt === null) return;
		if (alarmMeta !== null && alarmMeta <= wakeAt) return;
		alarmMeta = wakeAt;
		alarmFireAt = wakeAt;
	};
	const clearAlarm = () => {
		if (alarmMeta === null) return;
		alarmMeta = null;
		alarmFireAt = null;
	};
	const settle = (finished: boolean, wakeAt: number | null) => (finished ? clearAlarm() : arm(wakeAt));
	const finished = () => {
		const task = store.loadTask();
		return task !== null && isTerminalTaskState(task.status);
	};
	/** A restart loses what lived only in the object's memory: its sends in progress. */
	const restartObject = () => {
		events = events.filter((e) => e.owner !== "object");
	};

	/** Save, then send: after the commit, the send is in memory only until the queue has it. */
	const send = (dispatches: readonly StepMessage[]) => {
		if (dispatches.length === 0) return;
		schedule(now, "object", () => {
			if (tape.fault("restart")) return restartObject();
			if (tape.fault("send_fail")) {
				arm(dispatchFailed(store, dispatches, now, SEND_RETRY_MS));
				return;
			}
			for (const body of dispatches) {
				const key = keyOf(body.step_uuid, body.attempt);
				if (queuedKeys.has(key)) counts.resends += 1;
				else counts.originals += 1;
				queuedKeys.add(key);
				enqueueCopy(body);
				if (tape.fault("duplicate")) {
					counts.duplicates += 1;
					enqueueCopy(body);
				}
			}
			// The confirmation is a second write, after the send's await: a restart may fall between.
			schedule(now + 1, "object", () => {
				if (tape.fault("restart")) return restartObject();
				confirmDispatched(store, dispatches, 1, now);
			});
		});
	};

	// ---- the queue ---------------------------------------------------------------------------------
	const enqueueCopy = (body: StepMessage) => {
		if (tape.fault("message_lost")) {
			counts.lost += 1;
			return;
		}
		const copy: QueuedCopy = { body, attempts: 0 };
		schedule(now + tape.next() * 20, "queue", () => deliver(copy));
	};
	/** The message was not acked: the queue delivers it again after a delay. */
	const redeliver = (copy: QueuedCopy) => {
		schedule(now + 500 + tape.next() * 50, "queue", () => deliver(copy));
	};
	const mayFault = (copy: QueuedCopy | null, kind: FaultKind) =>
		(copy === null || copy.attempts < MAX_FAULTED_DELIVERIES) && tape.fault(kind);

	// ---- consumers ---------------------------------------------------------------------------------
	const deliver = (copy: QueuedCopy) => {
		copy.attempts += 1;
		counts.deliveries += 1;
		if (mayFault(copy, "claim_unreachable")) {
			counts.claimRetries += 1;
			return redeliver(copy);
		}
		const claim = claimStep(store, copy.body.step_uuid, copy.body.attempt, now);
		if (claim.kind === "dropped") {
			counts.claimDrops += 1;
			return;
		}
		arm(claim.deadline);
		const invocation: Invocation = { alive: true, inFlight: 0, message: copy, settledMessage: false };
		startRun(invocation, claim.input, true);
	};

	const startRun = (invocation: Invocation, input: StepRunInput, own: boolean) => {
		counts.runs += 1;
		invocation.inFlight += 1;
		started.add(keyOf(input.step_uuid, input.attempt));
		checkStart(input);
		const { outcome, tookMs } = runHandler(scenario, input);
		schedule(now + tookMs, invocation, () => finishRun(invocation, input, outcome, own));
	};

	/** No step starts before all its parents are complete, and it sees every ancestor's result. */
	const checkStart = (input: StepRunInput) => {
		const self = store.stepNamed(input.step_name);
		for (const parentIdx of store.parents.get(self.idx) ?? []) {
			const parent = store.stepAt(parentIdx);
			if (parent.state !== "complete") {
				violations.push(
					`${input.step_name} attempt ${input.attempt} started while its dependency ${parent.name} was ${parent.state}`,
				);
			}
		}
		const seen = Object.keys(input.dependency_results).sort();
		const expected = [
			...(scenario.roles ? storeAncestors(store, self.idx) : (ancestors.get(input.step_name) ?? [])),
		].sort();
		if (seen.join() !== expected.join()) {
			violations.push(`${input.step_name} saw results of [${seen}] instead of its ancestors [${expected}]`);
		}
		if (
			scenario.roles?.[specIndex(input.step_name)]?.kind === "deferred" &&
			!convergenceSaw.has(input.step_name)
		) {
			const declared = new Set((scenario.steps[specIndex(input.step_name)]?.deps ?? []).map(stepName));
			convergenceSaw.set(
				input.step_name,
				seen.filter((name) => declared.has(name) || declared.has(name.split("_")[0] ?? "")),
			);
		}
	};

	const finishRun = (invocation: Invocation, input: StepRunInput, outcome: StepOutcome, own: boolean) => {
		const copy = own ? invocation.message : null;
		if (mayFault(invocation.message, "crash")) return crash(invocation);
		if (mayFault(copy, "stall")) {
			// Frozen past the deadline: by the time the report lands, the attempt has been timed out.
			const lateBy = input.timeout_seconds * 1_000 + STEP_DEADLINE_GRACE_MS + 1 + tape.next() * 50;
			schedule(now + lateBy, invocation, () => report(invocation, input, outcome, own));
			return;
		}
		report(invocation, input, outcome, own);
	};

	/** The consumer dies after its handlers ran, before reporting: every run in it is lost; its message returns. */
	const crash = (invocation: Invocation) => {
		invocation.alive = false;
		counts.unreported += invocation.inFlight;
		invocation.inFlight = 0;
		events = events.filter((e) => e.owner !== invocation);
		if (!invocation.settledMessage) {
			counts.runRedeliveries += 1;
			redeliver(invocation.message);
		}
	};

	const report = (invocation: Invocation, input: StepRunInput, outcome: StepOutcome, own: boolean) => {
		const copy = own ? invocation.message : null;
		const done = () => {
			invocation.inFlight -= 1;
			if (own) invocation.settledMessage = true;
		};
		if (mayFault(copy, "report_lost")) {
			done();
			counts.unreported += 1;
			if (own) {
				counts.runRedeliveries += 1;
				redeliver(invocation.message);
			}
			return;
		}
		const key = keyOf(input.step_uuid, input.attempt);
		const batch = recordResults(
			store,
			[{ stepUuid: input.step_uuid, attempt: input.attempt, outcome, takeNext: tape.next() % 2 === 1 }],
			{
				now,
				random,
				sendGraceMs: SEND_GRACE_MS,
				newStepUuid: () => `step-dyn-${++dynamicIds}`,
			},
		);
		settle(batch.finished, batch.effects.wakeAt);
		send(batch.effects.dispatches);
		const reply = batch.outcomes[0];
		if (!reply) throw new Error("recordResults answered nothing");
		if (reply.kind === "applied") {
			if (cancelled)
				violations.push(
					`${input.step_name} attempt ${input.attempt}: a result applied after the task was cancelled`,
				);
			counts.applied += 1;
			if (appliedKeys.has(key)) violations.push(`attempt ${key} (${input.step_name}) applied twice`);
			appliedKeys.add(key);
			if (outcome.success && outcome.metadata.checkpoint_yield !== true) {
				const list = successes.get(input.step_name) ?? [];
				list.push(outcome.result);
				successes.set(input.step_name, list);
				if (list.length > 1) violations.push(`${input.step_name}: a success applied ${list.length} times`);
			}
		} else {
			counts.resultDrops += 1;
			resultDropKeys.push(key);
		}
		if (mayFault(copy, "reply_lost")) {
			// Applied, but the consumer never learns it: it retries its message, and the steps handed to
			// it are never run (their deadline brings them back).
			done();
			if (reply.kind === "applied") counts.handovers += reply.next.length;
			if (reply.kind === "applied") counts.unreported += reply.next.length;
			for (const next of reply.kind === "applied" ? reply.next : [])
				started.add(keyOf(next.step_uuid, next.attempt));
			if (own) {
				counts.runRedeliveries += 1;
				redeliver(invocation.message);
			}
			return;
		}
		done();
		if (reply.kind !== "applied") return;
		for (const next of reply.next) {
			counts.handovers += 1;
			startRun(invocation, next, false);
		}
	};

	// ---- the alarm ---------------------------------------------------------------------------------
	const fireAlarm = () => {
		alarmFireAt = null;
		if (alarmThrows < MAX_ALARM_THROWS_IN_A_ROW && tape.fault("alarm_throw")) {
			// Thrown inside the transaction: everything the pass did is rolled back, nothing is sent.
			const rollback = snapshot(store);
			const before = { alarmMeta };
			const scheduledFor = alarmMeta ?? 0;
			alarmMeta = null;
			runDueWork(store, Math.max(now, scheduledFor), SEND_GRACE_MS, random, newDlqId);
			rollback();
			alarmMeta = before.alarmMeta;
			alarmFireAt = now + 2_000 * 2 ** alarmThrows;
			alarmThrows += 1;
			return;
		}
		alarmThrows = 0;
		const scheduledFor = alarmMeta ?? 0;
		alarmMeta = null;
		const wasFinished = finished();
		const effects = runDueWork(store, Math.max(now, scheduledFor), SEND_GRACE_MS, random, newDlqId);
		settle(!wasFinished && finished(), effects.wakeAt);
		send(effects.dispatches);
	};

	// ---- the run -----------------------------------------------------------------------------------
	const created = createTask(
		store,
		{
			taskUuid: "chaos-task",
			template: templateOf(scenario),
			context: {},
			initiator: "chaos",
			sourceSystem: "chaos",
			reason: "chaos",
			tags: [],
			priority: 0,
			correlationId: "chaos",
			parentCorrelationId: null,
		},
		now,
		(() => {
			let n = 0;
			return () => `step-${n++}`;
		})(),
		SEND_GRACE_MS,
	);
	arm(created.effects.wakeAt);
	send(created.effects.dispatches);

	// ---- the operator ------------------------------------------------------------------------------
	let cancelled = false;
	const cutKeys = new Set<string>();
	if (scenario.cancelAfterMs !== null) {
		schedule(now + scenario.cancelAfterMs, "operator", () => {
			const running = store.listStepsIn(["in_progress"]).map((s) => keyOf(s.stepUuid, s.attempt));
			const outcome = cancelTask(store, now, "chaos");
			if (outcome.kind !== "applied") return;
			cancelled = true;
			for (const key of running) cutKeys.add(key);
			clearAlarm();
		});
	}

	let settled = false;
	while (counts.events < MAX_EVENTS) {
		let nextEvent: SimEvent | null = null;
		for (const e of events) {
			if (!nextEvent || e.at < nextEvent.at || (e.at === nextEvent.at && e.seq < nextEvent.seq))
				nextEvent = e;
		}
		const alarmFirst = alarmFireAt !== null && (!nextEvent || alarmFireAt < nextEvent.at);
		if (!nextEvent && !alarmFirst) {
			settled = true;
			break;
		}
		counts.events += 1;
		if (alarmFirst && alarmFireAt !== null) {
			now = Math.max(now, alarmFireAt);
			fireAlarm();
		} else if (nextEvent) {
			events = events.filter((e) => e !== nextEvent);
			now = Math.max(now, nextEvent.at);
			nextEvent.run();
		}
		if (now - START > GIVE_UP_AFTER_MS) break;
	}
	if (!settled)
		violations.push(
			`the simulation did not settle (${counts.events} events, ${Math.round((now - START) / 1000)} s)`,
		);

	const timedOut = new Set([...started].filter((k) => !appliedKeys.has(k) && !cutKeys.has(k)));
	counts.lateAfterTimeout = resultDropKeys.filter((k) => timedOut.has(k)).length;
	counts.cutByCancel = cutKeys.size;
	counts.neverStarted = [...queuedKeys].filter((k) => !started.has(k)).length;
	return {
		scenario,
		store,
		counts,
		violations,
		started,
		appliedKeys,
		successes,
		settled,
		cancelled,
		convergenceSaw,
	};
}

/** What the scenario's handler does on this attempt, and how long it takes (as the consumer sees it). */
function runHandler(scenario: Scenario, input: StepRunInput): { outcome: StepOutcome; tookMs: number } {
	const index = specIndex(input.step_name);
	const spec = scenario.steps[index];
	if (!spec) throw new Error(`no spec for ${input.step_name}`);
	const role = scenario.roles?.[index];
	let b = spec.behaviour;
	let yields = 0;
	if (role?.kind === "batch_worker") {
		const batch = Number(input.step_name.split("_")[1] ?? 0);
		const instance = role.instances[batch % role.instances.length];
		b = instance?.behaviour ?? b;
		yields = input.step_inputs?.is_no_op ? 0 : (instance?.yields ?? 0);
	}
	const timeoutMs = input.timeout_seconds * 1_000;
	if (b.kind === "hang" && input.attempt === b.onAttempt) {
		// The consumer stops waiting at the timeout and reports it (runStepHandler's own timeout).
		return {
			outcome: {
				success: false,
				error: timeoutError(input.step_name, input.timeout_seconds, "consumer"),
				execution_time_ms: timeoutMs,
			},
			tookMs: timeoutMs,
		};
	}
	const tookMs = Math.min(spec.durationMs, timeoutMs - 1);
	if (
		(b.kind === "flaky" && input.attempt <= b.failures) ||
		(b.kind === "permanent" && input.attempt === b.onAttempt)
	) {
		const retryable = b.kind === "flaky";
		return {
			outcome: {
				success: false,
				execution_time_ms: tookMs,
				error: {
					name: retryable ? "RetryableError" : "PermanentError",
					error_type: retryable ? "retryable_error" : "permanent_error",
					error_code: null,
					message: `chaos ${b.kind} on attempt ${input.attempt}`,
					retryable,
					retry_after_seconds: null,
					metadata: {},
				},
			},
			tookMs,
		};
	}
	const done = input.checkpoint?.items_processed ?? 0;
	if (done < yields) {
		return {
			outcome: {
				success: true,
				result: { type: "checkpoint_yield", cursor: done + 1, items_processed: done + 1 },
				metadata: { checkpoint_yield: true, batch_worker: true },
				execution_time_ms: tookMs,
			},
			tookMs,
		};
	}
	return {
		outcome: {
			success: true,
			result: { step: input.step_name, attempt: input.attempt, ...dynamicOutcome(scenario, role) },
			metadata: {},
			execution_time_ms: tookMs,
		},
		tookMs,
	};
}

/** A decision's choice or an analyzer's batches, in the reference's wire shapes. */
function dynamicOutcome(scenario: Scenario, role: Role | undefined): Record<string, unknown> {
	if (role?.kind === "decision") {
		return {
			decision_point_outcome:
				role.choose.length === 0
					? { type: "no_branches" }
					: { type: "create_steps", step_names: role.choose.map(stepName) },
		};
	}
	if (role?.kind === "batchable") {
		if (role.workers === 0) return { batch_processing_outcome: { type: "no_batches" } };
		const template = scenario.roles?.findIndex((r) => r.kind === "batch_worker") ?? -1;
		return {
			batch_processing_outcome: {
				type: "create_batches",
				worker_template_name: stepName(template),
				worker_count: role.workers,
				cursor_configs: Array.from({ length: role.workers }, (_, i) => ({
					batch_id: String(i + 1),
					start_cursor: i * 10,
					end_cursor: i * 10 + 10,
					batch_size: 10,
				})),
				total_items: role.workers * 10,
			},
		};
	}
	return {};
}

/** Names of every step the given one waits for, through the task's own edges (as the engine created them). */
function storeAncestors(store: MemoryTaskStore, idx: number): Set<string> {
	const seen = new Set<number>();
	const stack = [...(store.parents.get(idx) ?? [])];
	while (stack.length > 0) {
		const next = stack.pop() as number;
		if (seen.has(next)) continue;
		seen.add(next);
		stack.push(...(store.parents.get(next) ?? []));
	}
	return new Set(
		[...seen]
			.map((i) => store.stepAt(i))
			.filter((s) => s.result !== null)
			.map((s) => s.name),
	);
}

/** Every step's ancestors (transitive dependencies), by name, from the scenario alone. */
function ancestorNames(scenario: Scenario): Map<string, Set<string>> {
	const result = new Map<string, Set<string>>();
	scenario.steps.forEach((spec, i) => {
		const set = new Set<string>();
		for (const dep of spec.deps) {
			set.add(stepName(dep));
			for (const a of result.get(stepName(dep)) ?? []) set.add(a);
		}
		result.set(stepName(i), set);
	});
	return result;
}

/** The store's state now; calling the result puts it back (a rolled-back transaction). */
function snapshot(store: MemoryTaskStore): () => void {
	const task = structuredClone(store.task);
	const steps = structuredClone([...store.steps]);
	const transitions = store.transitions.length;
	const dlqEntries = store.dlqEntries.length;
	return () => {
		store.dlqEntries.splice(dlqEntries);
		store.task = task;
		store.steps.clear();
		for (const [uuid, step] of steps) store.steps.set(uuid, step);
		store.transitions.splice(transitions);
	};
}
