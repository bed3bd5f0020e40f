// A simulated Cloudflare platform for the chaos suite: the shipped task runtime (src/runtime/task-runtime.ts)
// and the shipped consumer sequencing (src/queue/consume-step-batch.ts) run here on a memory store, with a
// simulated clock, alarm and queue. The platform delivers at least once, late and out of order; it loses,
// duplicates and fails sends, restarts the object, crashes and freezes consumers, loses RPCs and their
// replies, and fails the alarm's transaction. Every fault of FAULT_KINDS is injected here, at the ports
// the runtime and the consumer are given, never in src/. Time is simulated, so timeouts and backoffs fire
// in microseconds; after each event the simulation lets every promise settle before it moves on, so a
// run is deterministic.
import type { StepMessage } from "../../../src/core/step-message";
import type { StepOutcome, StepRunInput } from "../../../src/core/step-outcome";
import { timeoutError } from "../../../src/core/step-timeout";
import { STEP_DEADLINE_GRACE_MS } from "../../../src/limits";
import { type ConsumedMessage, consumeStepBatch } from "../../../src/queue/consume-step-batch";
import type { QueueSender } from "../../../src/runtime/runtime-ports";
import type { ReporterInfo, ReportItem } from "../../../src/runtime/task-object-replies";
import { TaskRuntime } from "../../../src/runtime/task-runtime";
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

/** Faults that make the queue redeliver a message stop before its max_retries (10 in wrangler.toml). */
const MAX_FAULTED_DELIVERIES = 6;
/** The platform retries a throwing alarm from 2 s, doubling, 6 times; the chaos stays below that. */
const MAX_ALARM_THROWS_IN_A_ROW = 4;
/** Some invocations run one step and hand nothing over (a spent budget): what they make ready goes by queue. */
const ONE_STEP_BUDGET_CHANCE = 30;
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
	/** Messages the queue delivered again after their claim (crash, lost report or reply, restart). */
	runRedeliveries: number;
	/** Messages retried because the claim could not reach the object (no claim happened). */
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

/** A fault the simulation injected (as opposed to an engine operation that threw on its own: a bug). */
class InjectedFault extends Error {}

interface QueuedCopy {
	body: StepMessage;
	/** Deliveries so far (the platform's `message.attempts`). */
	attempts: number;
}

/** One consumer invocation: one delivered message, the runs it started, what the object handed it. */
interface Invocation {
	alive: boolean;
	copy: QueuedCopy;
	/** The object claimed the message's attempt for this invocation. */
	claimed: boolean;
	/** The message was acked or retried. */
	settled: boolean;
	/** Attempts running here whose outcome has not reached the object. */
	running: Set<string>;
	/** Attempts the object handed over in a reply this invocation has not received yet. */
	awaiting: Set<string>;
}

type Owner = "object" | "queue" | "operator" | Invocation;

interface SimEvent {
	at: number;
	seq: number;
	owner: Owner;
	run: () => void;
}

const keyOf = (stepUuid: string, attempt: number) => `${stepUuid}#${attempt}`;

/** Lets every promise chain that can settle now settle (the runtime's and the consumer's continuations). */
const settlePromises = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runChaos(scenario: Scenario): Promise<ChaosRun> {
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
	/** What each convergence step saw of its declared dependencies when it first ran, by name. */
	const convergenceSaw = new Map<string, string[]>();
	let ids = 0;
	let cancelled = false;
	const cutKeys = new Set<string>();

	let now = START;
	let seq = 0;
	let events: SimEvent[] = [];
	const schedule = (at: number, owner: Owner, run: () => void) => events.push({ at, seq: seq++, owner, run });

	// ---- the platform's alarm (the runtime mirrors it in the store's meta `alarm_at`) ---------------
	let alarmFireAt: number | null = null;
	let alarmThrows = 0;
	/** The next transaction fails at its commit: SQLite rolls it back, the call throws. */
	let failNextTransaction = false;

	// ---- the queue: it accepts a batch at the next event, confirms one event later ------------------
	const enqueueCopy = (body: StepMessage) => {
		if (tape.fault("message_lost")) {
			counts.lost += 1;
			return;
		}
		const copy: QueuedCopy = { body, attempts: 0 };
		schedule(now + tape.next() * 20, "queue", () => deliver(copy));
	};
	/** Save, then send: after the commit, a send lives only in the object's memory until the queue has it. */
	const queue: QueueSender = {
		sendBatch: (messages) =>
			new Promise((resolve, reject) => {
				const bodies = messages.map((m) => m.body as StepMessage);
				schedule(now, "object", () => {
					if (tape.fault("restart")) return restartObject();
					if (tape.fault("send_fail")) return reject(new InjectedFault("chaos: sendBatch failed"));
					for (const body of bodies) {
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
					// The send's promise settles one event later: a restart may fall before its confirmation.
					schedule(now + 1, "object", () => {
						if (tape.fault("restart")) return restartObject();
						resolve(undefined);
					});
				});
			}),
	};

	// ---- the task object: the shipped runtime, rebuilt over the same store on a restart -------------
	const makeRuntime = () =>
		new TaskRuntime({
			store,
			atomically: (operation) => {
				if (failNextTransaction) {
					failNextTransaction = false;
					const rollback = store.snapshot();
					operation();
					rollback();
					throw new InjectedFault("chaos: the transaction failed at its commit");
				}
				try {
					return operation();
				} catch (error) {
					violations.push(`an engine operation threw: ${String(error)}`);
					throw error;
				}
			},
			alarm: {
				set: (at) => {
					alarmFireAt = at;
				},
				delete: () => {
					alarmFireAt = null;
				},
			},
			queueFor: () => queue,
			domainEventQueue: () => undefined,
			checkRouting: () => {},
			now: () => now,
			random: () => 0.5,
			newId: () => uuidShaped(++ids),
			syncFleet: () => {},
			broadcast: () => {},
		});
	let runtime = makeRuntime();
	/** Calls in flight into the current object: a restart fails them, as it fails real RPCs. */
	let inFlight = new Set<(error: Error) => void>();
	const callObject = <T>(call: () => Promise<T>): Promise<T> =>
		new Promise<T>((resolve, reject) => {
			const calls = inFlight;
			calls.add(reject);
			call().then(
				(value) => calls.delete(reject) && resolve(value),
				(error) => calls.delete(reject) && reject(error),
			);
		});
	/** A restart loses what lived only in the object's memory: its sends in progress, its calls in flight. */
	const restartObject = () => {
		events = events.filter((e) => e.owner !== "object");
		const broken = inFlight;
		inFlight = new Set();
		for (const reject of broken) reject(new InjectedFault("chaos: the object restarted"));
		runtime = makeRuntime();
	};

	const fireAlarm = () => {
		alarmFireAt = null;
		failNextTransaction = alarmThrows < MAX_ALARM_THROWS_IN_A_ROW && tape.fault("alarm_throw");
		const pass = callObject(() => runtime.alarmFired());
		failNextTransaction = false;
		pass.then(
			() => {
				alarmThrows = 0;
			},
			() => {
				// A failed alarm (or one cut short by a restart) is retried by the platform, backing off.
				if (alarmFireAt === null) alarmFireAt = now + 2_000 * 2 ** alarmThrows;
				alarmThrows += 1;
			},
		);
	};

	// ---- consumers: each delivery is one invocation of the shipped consumer sequencing --------------
	const mayFault = (invocation: Invocation, kind: FaultKind) =>
		invocation.copy.attempts < MAX_FAULTED_DELIVERIES && tape.fault(kind);
	/** A promise of a call made by this invocation: it never settles once the invocation is dead. */
	const liveOnly = <T>(invocation: Invocation, promise: Promise<T>): Promise<T> =>
		new Promise<T>((resolve, reject) => {
			promise.then(
				(value) => invocation.alive && resolve(value),
				(error) => invocation.alive && reject(error),
			);
		});
	/** The message was not acked: the queue delivers it again after a delay. */
	const redeliver = (copy: QueuedCopy, delayMs: number) => {
		schedule(now + delayMs + tape.next() * 50, "queue", () => deliver(copy));
	};

	const deliver = (copy: QueuedCopy) => {
		copy.attempts += 1;
		counts.deliveries += 1;
		const invocation: Invocation = {
			alive: true,
			copy,
			claimed: false,
			settled: false,
			running: new Set(),
			awaiting: new Set(),
		};
		const message: ConsumedMessage = {
			id: `${keyOf(copy.body.step_uuid, copy.body.attempt)}@${counts.deliveries}`,
			body: copy.body,
			attempts: copy.attempts,
			ack: () => {
				if (invocation.alive) invocation.settled = true;
			},
			retry: (options) => {
				if (!invocation.alive || invocation.settled) return;
				invocation.settled = true;
				if (invocation.claimed) counts.runRedeliveries += 1;
				else counts.claimRetries += 1;
				redeliver(copy, (options?.delaySeconds ?? 0) * 1_000);
			},
		};
		const oneStep = tape.next() < ONE_STEP_BUDGET_CHANCE;
		void consumeStepBatch([message], "chaos", {
			taskObject: () => ({
				claimMany: (items) => claimThrough(invocation, items),
				reportMany: (items, reporter) => reportThrough(invocation, items, reporter),
			}),
			runStep: (input) => runStep(invocation, input),
			now: () => now,
			defer: (callback) => schedule(now, invocation, callback),
			...(oneStep ? { chainBudget: { steps: 1, milliseconds: 5_000 } } : {}),
		}).then(({ malformed }) => {
			if (malformed > 0)
				violations.push(`the consumer refused a message the engine sent: ${JSON.stringify(copy.body)}`);
		});
	};

	const claimThrough = (
		invocation: Invocation,
		items: ReadonlyArray<{ stepUuid: string; attempt: number }>,
	) => {
		if (mayFault(invocation, "claim_unreachable")) {
			return Promise.reject(new InjectedFault("chaos: the claim did not reach the object"));
		}
		const claims = callObject(() => runtime.claimMany(items)).then((replies) => {
			for (const reply of replies) {
				if (reply.kind === "dropped") counts.claimDrops += 1;
				else invocation.claimed = true;
			}
			return replies;
		});
		return liveOnly(invocation, claims);
	};

	const runStep = (invocation: Invocation, input: StepRunInput): Promise<StepOutcome> => {
		const key = keyOf(input.step_uuid, input.attempt);
		counts.runs += 1;
		started.add(key);
		invocation.awaiting.delete(key);
		invocation.running.add(key);
		checkStart(input);
		const { outcome, tookMs } = runHandler(scenario, input);
		return new Promise((resolve) => {
			schedule(now + tookMs, invocation, () => {
				if (mayFault(invocation, "crash")) return crash(invocation);
				if (mayFault(invocation, "stall")) {
					// Frozen past the deadline: by the time the report lands, the attempt has been timed out.
					const lateBy = input.timeout_seconds * 1_000 + STEP_DEADLINE_GRACE_MS + 1 + tape.next() * 50;
					schedule(now + lateBy, invocation, () => resolve(outcome));
					return;
				}
				resolve(outcome);
			});
		});
	};

	/** The consumer dies after a handler ran, before reporting: every run in it is lost; its message returns. */
	const crash = (invocation: Invocation) => {
		invocation.alive = false;
		counts.unreported += invocation.running.size + invocation.awaiting.size;
		invocation.running.clear();
		invocation.awaiting.clear();
		events = events.filter((e) => e.owner !== invocation);
		if (!invocation.settled) {
			counts.runRedeliveries += 1;
			redeliver(invocation.copy, 500);
		}
	};

	const reportThrough = (
		invocation: Invocation,
		items: ReadonlyArray<ReportItem>,
		reporter?: ReporterInfo,
	) => {
		if (mayFault(invocation, "report_lost")) {
			for (const item of items) {
				if (invocation.running.delete(keyOf(item.stepUuid, item.attempt))) counts.unreported += 1;
			}
			return Promise.reject(new InjectedFault("chaos: the report did not reach the object"));
		}
		// The object applies a report in the synchronous part of the call (one transaction, before any
		// send): what changed in the store right after the call is what was applied.
		const before = stepsNow(store);
		const replies = callObject(() => runtime.reportMany(items, reporter));
		const after = stepsNow(store);
		for (const item of items) {
			const key = keyOf(item.stepUuid, item.attempt);
			invocation.running.delete(key);
			const applied = before.records.get(item.stepUuid) !== after.records.get(item.stepUuid);
			if (applied) noteApplied(key, item.outcome);
			else {
				counts.resultDrops += 1;
				resultDropKeys.push(key);
			}
		}
		// Steps this report made in_progress: handed over to this invocation.
		const handedOver = [...after.running].filter((key) => !before.running.has(key));
		for (const key of handedOver) {
			started.add(key);
			counts.handovers += 1;
			invocation.awaiting.add(key);
		}
		const lose = () => {
			for (const key of handedOver) if (invocation.awaiting.delete(key)) counts.unreported += 1;
		};
		const replyLost = mayFault(invocation, "reply_lost");
		return liveOnly(
			invocation,
			replies.then(
				(value) => {
					if (!replyLost) return value;
					// Applied, but the consumer never learns it: it retries its message, and the steps handed
					// to it are never run (their deadline brings them back).
					lose();
					throw new InjectedFault("chaos: the report's reply was lost");
				},
				(error) => {
					lose();
					throw error;
				},
			),
		);
	};

	const noteApplied = (key: string, outcome: StepOutcome) => {
		const name = store.getStep(key.split("#")[0] ?? "")?.name ?? key;
		if (cancelled) violations.push(`${name} attempt ${key}: a result applied after the task was cancelled`);
		counts.applied += 1;
		if (appliedKeys.has(key)) violations.push(`attempt ${key} (${name}) applied twice`);
		appliedKeys.add(key);
		if (outcome.success && outcome.metadata.checkpoint_yield !== true) {
			const list = successes.get(name) ?? [];
			list.push(outcome.result);
			successes.set(name, list);
			if (list.length > 1) violations.push(`${name}: a success applied ${list.length} times`);
		}
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
		// The values too, as the store holds them: a step handed over with only its parent's result
		// (inherits_inputs) has the rest filled in by the consumer, which must match a full walk.
		const stored = store.ancestorResults(self.idx);
		for (const name of seen) {
			if (JSON.stringify(input.dependency_results[name]) !== JSON.stringify(stored[name])) {
				violations.push(
					`${input.step_name} saw ${name}'s result as ${JSON.stringify(input.dependency_results[name])}`,
				);
			}
		}
		if (input.inputs_token !== undefined || input.inherits_inputs !== undefined) {
			violations.push(`${input.step_name}'s handler was shown the consumer's own input fields`);
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

	// ---- the run -----------------------------------------------------------------------------------
	void callObject(() =>
		runtime.create({
			taskUuid: uuidShaped(0),
			template: templateOf(scenario),
			context: {},
			initiator: "chaos",
			sourceSystem: "chaos",
			reason: "chaos",
			tags: [],
			priority: 0,
			correlationId: "chaos",
			parentCorrelationId: null,
		}),
	).catch(() => {});
	await settlePromises();

	// ---- the operator ------------------------------------------------------------------------------
	if (scenario.cancelAfterMs !== null) {
		schedule(now + scenario.cancelAfterMs, "operator", () => {
			const running = store.listStepsIn(["in_progress"]).map((s) => keyOf(s.stepUuid, s.attempt));
			void callObject(() => runtime.cancel("chaos")).catch(() => {});
			if (store.task?.status !== "cancelled") return;
			cancelled = true;
			for (const key of running) cutKeys.add(key);
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
		await settlePromises();
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

/** Ids the consumer's message check accepts (uuid-shaped), counting up. */
function uuidShaped(n: number): string {
	return `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

/** Each step's stored record (as text, to compare) and the attempts in progress, right now. */
function stepsNow(store: MemoryTaskStore): { records: Map<string, string>; running: Set<string> } {
	const records = new Map<string, string>();
	const running = new Set<string>();
	for (const [uuid, step] of store.steps) {
		// Without the fields a send's confirmation writes: the report's transaction records the sends
		// confirmed since the last one first, which is not the report being applied.
		const { dispatchDueAt: _owed, deadlineAt: _deadline, ...recorded } = step;
		records.set(uuid, JSON.stringify(recorded));
		if (step.state === "in_progress") running.add(keyOf(uuid, step.attempt));
	}
	return { records, running };
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
