// The task object's sequencing, apart from the platform: each call runs one engine operation as a
// single transaction, arms the alarm in the same write, and only then performs the effects (sends,
// the D1 sync, the live stream). Save, then send: a send lost with the object is re-sent by the alarm.
// The Durable Object wraps this class in its RPC methods; the chaos suite drives the same class with
// simulated storage, clock and queues, so what it proves holds for the shipped sequencing.
import { type ClaimOutcome, claimStep } from "../core/claim-step";
import { type CreateTaskInput, createTask } from "../core/create-task";
import { type DeadLetterInfo, type DeadLetterOutcome, recordDeadLetter } from "../core/dead-letter";
import type { DomainEventMessage } from "../core/domain-events";
import { confirmDispatched, runDueWork } from "../core/due-work";
import { actOnStep, cancelTask, type OperatorOutcome, type StepAction } from "../core/operator-actions";
import { recordResults } from "../core/record-results";
import { isTerminalTaskState } from "../core/states";
import type { EngineEffects, StepMessage } from "../core/step-message";
import { earliest } from "../core/task-mutations";
import { type TaskView, toStepView, toTaskView } from "../core/task-views";
import { deliverEvent, type TaskEvent } from "../core/wait-event";
import { MAX_DOMAIN_EVENTS_PER_ALARM, SEND_GRACE_MS } from "../limits";
import { logEvent } from "../observability/log-event";
import { logOperatorAction } from "../observability/log-operator-action";
import { logTaskFinished } from "../observability/log-task-finished";
import { type SendContext, sendDispatches } from "./dispatch-sender";
import { domainEventOptions } from "./domain-event-options";
import { sendDomainEvents } from "./domain-event-sender";
import type { TaskRuntimePorts } from "./runtime-ports";
import type { RuntimeStore } from "./runtime-store";
import { TaskAlarm } from "./task-alarm";
import type { EventReply, OperatorReply, RecordReply, ReporterInfo, ReportItem } from "./task-object-replies";
import { readTask } from "./task-reads";
import { Waiters } from "./waiters";

export class TaskRuntime {
	readonly store: RuntimeStore;
	readonly alarm: TaskAlarm;
	private readonly ports: TaskRuntimePorts;
	/** Readers of `wait_seconds`, woken when the task finishes. */
	private readonly finishWaiters = new Waiters();
	private readonly sendContext: SendContext;
	/** Batches the queue accepted, not yet recorded: the next transaction records them first. */
	private sentUnconfirmed: Array<{ batch: readonly StepMessage[]; at: number }> = [];

	constructor(ports: TaskRuntimePorts) {
		this.ports = ports;
		this.store = ports.store;
		this.alarm = new TaskAlarm(ports.alarm, ports.store);
		this.sendContext = {
			store: this.store,
			transact: (operation) => this.transact(operation),
			confirmLater: (batch, at) => this.confirmLater(batch, at),
			alarm: this.alarm,
			now: ports.now,
		};
	}

	async create(input: CreateTaskInput): Promise<{ task: TaskView; created: boolean }> {
		const { store, ports } = this;
		store.noteRequest();
		// A broken routing refuses the task before it exists, rather than leaving its steps owed.
		ports.checkRouting();
		const outcome = this.transact(() => {
			const created = createTask(store, input, ports.now(), ports.newId, SEND_GRACE_MS);
			if (created.created) this.alarm.arm(created.effects.wakeAt);
			return created;
		});
		if (!outcome.created) return { task: toTaskView(outcome.task), created: false };
		logEvent("task.created", { task_uuid: input.taskUuid, correlation_id: input.correlationId });
		// Sent now rather than by the alarm: a task starts as soon as it exists (the alarm is the fallback).
		// Not awaited: the answer says nothing the send changes (an accepted send is recorded by the next
		// transaction, a failed one is left owed for the alarm), and holding it until the queue has
		// accepted kept every caller waiting on the queue, under load for seconds.
		// A failed send is logged and left owed by the sender itself; this catches only a failure to record
		// that (storage), after which the alarm armed with the task re-sends all the same.
		void this.send(outcome.effects.dispatches).catch((error: unknown) => {
			logEvent("dispatch.record_failed", {
				task_uuid: input.taskUuid,
				error: String(error),
				retried_by: "alarm",
			});
		});
		ports.syncFleet();
		return { task: toTaskView(store.loadTask() ?? outcome.task), created: true };
	}

	/** Claims several attempts of this task's steps in one call (a consumer's batch): one transaction. */
	async claimMany(items: ReadonlyArray<{ stepUuid: string; attempt: number }>): Promise<ClaimOutcome[]> {
		const { store, ports } = this;
		store.noteRequest();
		const now = ports.now();
		const claims = this.transact(() => {
			const outcomes = items.map((i) => claimStep(store, i.stepUuid, i.attempt, now));
			// Each run's deadline: the alarm times the attempt out if its consumer dies or hangs.
			this.alarm.arm(earliest(outcomes.map((c) => (c.kind === "run" ? c.deadline : null))));
			return outcomes;
		});
		ports.syncFleet();
		ports.broadcast();
		return claims;
	}

	/**
	 * Records several outcomes in one transaction (a wide fan-in reports through few calls, not one per
	 * step), then sends what they made ready together. With `takeNext`, an outcome may hand the few steps
	 * it makes ready back to the reporter to run next.
	 */
	async reportMany(items: ReadonlyArray<ReportItem>, reporter: ReporterInfo = {}): Promise<RecordReply[]> {
		const { store, ports } = this;
		store.noteRequest();
		const reporterHandlers = reporter.handlers ? new Set(reporter.handlers) : undefined;
		const { batch, events } = this.transact(() => {
			const recorded = recordResults(store, items, {
				now: ports.now(),
				random: ports.random,
				sendGraceMs: SEND_GRACE_MS,
				reporterHandlers,
				events: domainEventOptions(ports.newId),
				newStepUuid: ports.newId,
			});
			const owed = recorded.outcomes.flatMap((outcome) => (outcome.kind === "applied" ? outcome.events : []));
			this.settleAlarm(recorded.finished, recorded.effects.wakeAt, owed.length > 0);
			return { batch: recorded, events: owed };
		});
		for (const outcome of batch.outcomes) {
			if (outcome.kind !== "applied") continue;
			for (const rejected of outcome.rejectedEvents) {
				logEvent("domain_event.schema_rejected", {
					task_uuid: store.loadTask()?.taskUuid ?? null,
					event_name: rejected.event_name,
					problems: rejected.problems,
				});
			}
		}
		// Dispatch what became ready at once, together; the alarm is only the fallback.
		await this.afterChange(batch.finished, batch.effects, events);
		return batch.outcomes.map((r) =>
			r.kind === "dropped"
				? r
				: { kind: "applied", stepState: r.stepState, taskStatus: r.taskStatus, next: r.next },
		);
	}

	/**
	 * A step message the queue gave up on: the attempt fails for good, if it is still the current one in
	 * flight, and the task gets a DLQ entry; otherwise it is dropped.
	 */
	async recordDeadLetter(
		stepUuid: string,
		attempt: number,
		info: DeadLetterInfo,
	): Promise<DeadLetterOutcome> {
		const { store, ports } = this;
		store.noteRequest();
		const wasFinished = this.isFinished();
		const { outcome, finished } = this.transact(() => {
			const recorded = recordDeadLetter(store, stepUuid, attempt, info, ports.now(), ports.newId);
			const finishedHere = !wasFinished && this.isFinished();
			this.settleAlarm(finishedHere, null);
			return { outcome: recorded, finished: finishedHere };
		});
		await this.afterChange(finished, { dispatches: [], wakeAt: null });
		return outcome;
	}

	/**
	 * An event sent to the task: it completes the step waiting for it (whose dependents start now), or
	 * is kept for a step that does not wait yet; an event_id seen before changes nothing.
	 */
	async sendEvent(event: TaskEvent): Promise<EventReply> {
		const { store, ports } = this;
		if (!store.hasSchema()) return { kind: "unknown_task" };
		store.noteRequest();
		const wasFinished = this.isFinished();
		const { outcome, finished } = this.transact(() => {
			const delivered = deliverEvent(store, event, ports.now(), ports.newId, SEND_GRACE_MS);
			const finishedHere = !wasFinished && this.isFinished();
			if (delivered.kind === "delivered") this.settleAlarm(finishedHere, delivered.effects.wakeAt);
			return { outcome: delivered, finished: finishedHere };
		});
		if (outcome.kind !== "delivered") return outcome;
		// The reply does not wait for the dependents' send. The event is saved with what it made ready,
		// owed, and the alarm is armed as their fallback in the same transaction, so the platform holds
		// this reply until all of that is stored; a send that fails or is lost with the object is re-sent
		// by the alarm. The sender is answered a queue round trip
		// sooner, and its dependents start as soon as they would have.
		void this.afterChange(finished, outcome.effects).catch((error: unknown) =>
			logEvent("event.after_change_failed", {
				task_uuid: store.loadTask()?.taskUuid ?? null,
				error: String(error),
			}),
		);
		const { effects: _effects, ...reply } = outcome;
		return reply;
	}

	/** Cancels the task: nothing unfinished runs any more; results still on their way are dropped. */
	async cancel(reason: string): Promise<OperatorReply> {
		this.store.noteRequest();
		return this.afterOperator(this.transactOperator(() => cancelTask(this.store, this.ports.now(), reason)));
	}

	/** An operator's action on one step; the task resumes from where it is (even from `error`). */
	async actOnStep(stepUuid: string, action: StepAction): Promise<OperatorReply> {
		const { store, ports } = this;
		store.noteRequest();
		const outcome = this.transactOperator(() =>
			actOnStep(store, stepUuid, action, ports.now(), SEND_GRACE_MS),
		);
		if (outcome.kind === "applied") logOperatorAction(outcome.task, outcome.step, action);
		return this.afterOperator(outcome);
	}

	/**
	 * The alarm: whatever is due (re-sends, retries, deadlines, waits, staleness, owed domain events).
	 * An alarm fires at or after its time; acting "as of" its scheduled time lets tests fire it early,
	 * and changes nothing in production. A second firing finds nothing due and does nothing.
	 */
	async alarmFired(): Promise<void> {
		const { store, ports } = this;
		if (!store.hasSchema()) return;
		store.noteRequest();
		const { effects, finishedHere, eventsDue } = this.transact(() => {
			const scheduledFor = this.alarm.consume();
			const wasFinished = this.isFinished();
			const now = Math.max(ports.now(), scheduledFor);
			const effects = runDueWork(store, now, SEND_GRACE_MS, ports.random, ports.newId);
			// Only a task that ever recorded an event has an outbox of them to look at.
			const recorded = store.loadTask()?.stats.domainEventsRecorded ?? 0;
			const eventsDue = recorded > 0 ? store.domainEventsDue(now, MAX_DOMAIN_EVENTS_PER_ALARM) : [];
			const finishedHere = !wasFinished && this.isFinished();
			this.settleAlarm(finishedHere, effects.wakeAt, eventsDue.length > 0);
			return { effects, finishedHere, eventsDue };
		});
		if (effects.stale) {
			logEvent("task.stale", {
				task_uuid: store.loadTask()?.taskUuid ?? null,
				threshold: effects.stale.field,
				failed_steps: effects.stale.failedSteps,
				dlq_entry_uuid: effects.stale.entry?.dlq_entry_uuid ?? null,
			});
		}
		// A timeout that exhausts a step's attempts, or staleness, can end the task here.
		await this.afterChange(finishedHere, effects, eventsDue);
	}

	/** The task; with `waitMs`, answers as soon as the task is finished, or when the wait runs out. */
	async getTask(waitMs = 0): Promise<TaskView | null> {
		const task = readTask(this.store);
		if (!task || waitMs <= 0 || isTerminalTaskState(task.status)) return task;
		await this.finishWaiters.wait(waitMs);
		return readTask(this.store);
	}

	/**
	 * One engine operation, one transaction; the task row is written once, at its end. Sends confirmed
	 * since the last transaction are recorded first, in the same write (see confirmLater).
	 */
	transact<T>(operation: () => T): T {
		const confirmations = this.sentUnconfirmed;
		this.sentUnconfirmed = [];
		try {
			return this.ports.atomically(() => {
				this.store.begin();
				for (const sent of confirmations) confirmDispatched(this.store, sent.batch, 1, sent.at);
				const result = operation();
				this.ports.beforeCommit?.();
				this.store.flush();
				return result;
			});
		} catch (error) {
			this.store.discard();
			this.ports.afterRollback?.();
			// Rolled back with the operation: still to be recorded by the next transaction.
			this.sentUnconfirmed = [...confirmations, ...this.sentUnconfirmed];
			throw error;
		}
	}

	/**
	 * The queue has accepted these messages: recorded by the next transaction (the claim that follows,
	 * or at the latest the alarm pass armed for their re-send), not by a write of its own. A commit per
	 * send was a write after every create and report, and a write made before an RPC's reply holds
	 * that reply. If the object is lost first, its alarm re-sends them: a duplicate message, which the
	 * claim drops by attempt, as any send whose confirmation was lost.
	 */
	private confirmLater(batch: readonly StepMessage[], at: number): void {
		this.sentUnconfirmed.push({ batch, at });
	}

	/** An operator's operation and the alarm it needs, in one transaction. */
	private transactOperator(operation: () => OperatorOutcome): OperatorOutcome {
		return this.transact(() => {
			const outcome = operation();
			if (outcome.kind === "applied") {
				this.settleAlarm(isTerminalTaskState(outcome.task.status), outcome.effects.wakeAt);
			}
			return outcome;
		});
	}

	private async afterOperator(outcome: OperatorOutcome): Promise<OperatorReply> {
		if (outcome.kind !== "applied") return outcome;
		await this.afterChange(isTerminalTaskState(outcome.task.status), outcome.effects);
		const task = this.store.loadTask() ?? outcome.task;
		const step = outcome.step ? this.store.getStep(outcome.step.stepUuid) : null;
		return { kind: "applied", task: toTaskView(task), step: step ? toStepView(task, step) : null };
	}

	private isFinished(): boolean {
		const task = this.store.loadTask();
		return task !== null && isTerminalTaskState(task.status);
	}

	/**
	 * Inside an operation's transaction, so that its decision and its alarm are one write: a finished
	 * task drops its alarm, a running one arms for what is due. Domain events owed keep an alarm even on
	 * a finished task, until the queue has them.
	 */
	private settleAlarm(finished: boolean, wakeAt: number | null, eventsOwed = false): void {
		if (finished) this.alarm.clear();
		else this.alarm.arm(wakeAt);
		if (eventsOwed) this.alarm.arm(this.ports.now() + SEND_GRACE_MS);
	}

	/**
	 * After an engine operation has been saved (its alarm with it): wake the readers of a finished task,
	 * send, then sync the fleet views and tell subscribers.
	 */
	private async afterChange(
		finished: boolean,
		effects: EngineEffects,
		events: readonly DomainEventMessage[] = [],
	): Promise<void> {
		if (finished) {
			this.finishWaiters.wakeAll();
			const task = this.store.loadTask();
			if (task) logTaskFinished(task);
		}
		await this.send(effects.dispatches);
		if (events.length > 0) await sendDomainEvents(this.ports.domainEventQueue(), this.sendContext, events);
		this.ports.syncFleet();
		this.ports.broadcast();
	}

	private send(dispatches: readonly StepMessage[]): Promise<void> {
		return sendDispatches(this.ports.queueFor, this.sendContext, dispatches);
	}
}
