// One Durable Object per task: a thin shell around the pure engine. Each call runs one engine
// operation as a single SQLite transaction, arms the alarm in the same write, and only then performs
// the effects (sends). Save, then send: a send lost with the object is re-sent by the alarm.
import { DurableObject } from "cloudflare:workers";
import { v7 as uuidv7 } from "uuid";
import { type ClaimOutcome, claimStep } from "../src/core/claim-step";
import { type CreateTaskInput, createTask } from "../src/core/create-task";
import { type DeadLetterInfo, type DeadLetterOutcome, recordDeadLetter } from "../src/core/dead-letter";
import type { DomainEventMessage } from "../src/core/domain-events";
import { runDueWork } from "../src/core/due-work";
import { actOnStep, cancelTask, type OperatorOutcome, type StepAction } from "../src/core/operator-actions";
import { recordResults } from "../src/core/record-results";
import { isTerminalTaskState } from "../src/core/states";
import type { EngineEffects, StepMessage } from "../src/core/step-message";
import type { StepOutcome } from "../src/core/step-outcome";
import { earliest } from "../src/core/task-mutations";
import {
	type StepView,
	type TaskView,
	type TransitionView,
	toStepView,
	toTaskView,
} from "../src/core/task-views";
import { deliverEvent, type EventOutcome, type TaskEvent } from "../src/core/wait-event";
import { logEvent } from "../src/observability/log-event";
import { logOperatorAction } from "../src/observability/log-operator-action";
import { logTaskFinished } from "../src/observability/log-task-finished";
import { requireNamespaceQueues } from "../src/queue/namespace-queues";
import { sendDispatches } from "./dispatch-sender";
import { domainEventOptions } from "./domain-event-options";
import { sendDomainEvents } from "./domain-event-sender";
import { FinishWaiters } from "./finish-waiters";
import { FleetSync } from "./fleet-sync";
import { SqliteTaskStore, type StoredDomainEvent } from "./sqlite-task-store";
import { TaskAlarm } from "./task-alarm";
import type { OperatorReply, RecordReply, ReporterInfo, ReportItem } from "./task-object-replies";
import { readStep, readStepAudit, readSteps, readTask, readTaskAudit } from "./task-reads";
import { TaskStream } from "./task-stream";
import { streamRequest } from "./task-stream-request";

/** How long a dispatch is left to the send in progress before the alarm sends it again. */
export const SEND_GRACE_MS = 5_000;
/** Owed domain events one alarm sends again; the rest wait for the next alarm, armed by the send. */
const MAX_EVENTS_PER_ALARM = 500;

export type { OperatorReply, RecordReply, ReporterInfo, ReportItem } from "./task-object-replies";

/** What sendEvent answers: the event's outcome, without the engine's effects (already performed). */
export type EventReply = EventOutcome extends infer O
	? O extends { effects: unknown }
		? Omit<O, "effects">
		: O
	: never;

export class TaskObject extends DurableObject<Env> {
	private readonly store: SqliteTaskStore;
	private readonly schedule: TaskAlarm;
	private readonly finishWaiters = new FinishWaiters();
	private readonly fleet: FleetSync;
	private readonly stream: TaskStream;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.store = new SqliteTaskStore(ctx.storage.sql);
		this.schedule = new TaskAlarm(ctx.storage, this.store);
		this.fleet = new FleetSync(
			this.store,
			() => this.env.TASK_INDEX,
			this.schedule,
			(op) => this.transact(op),
		);
		this.stream = new TaskStream(ctx, this.store);
	}

	/** The live stream's WebSocket upgrade (the one request not made over RPC): see task-stream.ts. */
	override async fetch(request: Request): Promise<Response> {
		return streamRequest(request, this.stream);
	}

	override async webSocketClose(ws: WebSocket): Promise<void> {
		this.stream.closed(ws);
	}

	async create(input: CreateTaskInput): Promise<{ task: TaskView; created: boolean }> {
		this.store.noteRequest();
		// A broken NAMESPACE_QUEUES refuses the task before it exists, rather than leaving its steps owed.
		requireNamespaceQueues(this.env);
		const outcome = this.transact(() => createTask(this.store, input, Date.now(), uuidv7, SEND_GRACE_MS));
		if (!outcome.created) return { task: toTaskView(outcome.task), created: false };
		this.schedule.arm(outcome.effects.wakeAt);
		logEvent("task.created", { task_uuid: input.taskUuid, correlation_id: input.correlationId });
		// Sent now rather than by the alarm: a task starts as soon as it exists (the alarm is the fallback).
		await this.send(outcome.effects.dispatches);
		this.fleet.sync();
		return { task: toTaskView(this.store.loadTask() ?? outcome.task), created: true };
	}

	/** Claims several attempts of this task's steps in one call (a consumer's batch): one transaction. */
	async claimMany(items: ReadonlyArray<{ stepUuid: string; attempt: number }>): Promise<ClaimOutcome[]> {
		this.store.noteRequest();
		const claims = this.transact(() =>
			items.map((i) => claimStep(this.store, i.stepUuid, i.attempt, Date.now())),
		);
		// Each run's deadline: the alarm times the attempt out if its consumer dies or hangs.
		this.schedule.arm(earliest(claims.map((c) => (c.kind === "run" ? c.deadline : null))));
		this.fleet.sync();
		this.stream.broadcast();
		return claims;
	}

	async claim(stepUuid: string, attempt: number): Promise<ClaimOutcome> {
		const [outcome] = await this.claimMany([{ stepUuid, attempt }]);
		if (!outcome) throw new Error("claimMany answered nothing");
		return outcome;
	}

	/**
	 * Records several outcomes in one call and one transaction (a wide fan-in reports through few
	 * calls, not one per step), then sends what they made ready together. With `takeNext`, an outcome
	 * may hand the few steps it makes ready back to the reporter to run next.
	 */
	async reportMany(items: ReadonlyArray<ReportItem>, reporter: ReporterInfo = {}): Promise<RecordReply[]> {
		this.store.noteRequest();
		const reporterHandlers = reporter.handlers ? new Set(reporter.handlers) : undefined;
		const batch = this.transact(() =>
			recordResults(this.store, items, {
				now: Date.now(),
				random: Math.random,
				sendGraceMs: SEND_GRACE_MS,
				reporterHandlers,
				events: domainEventOptions(uuidv7),
				newStepUuid: uuidv7,
			}),
		);
		const events: DomainEventMessage[] = [];
		for (const outcome of batch.outcomes) {
			if (outcome.kind !== "applied") continue;
			events.push(...outcome.events);
			for (const rejected of outcome.rejectedEvents) {
				logEvent("domain_event.schema_rejected", {
					task_uuid: this.store.loadTask()?.taskUuid ?? null,
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

	async report(
		stepUuid: string,
		attempt: number,
		outcome: StepOutcome,
		options: { takeNext?: boolean } & ReporterInfo = {},
	): Promise<RecordReply> {
		const [reply] = await this.reportMany([{ stepUuid, attempt, outcome, takeNext: options.takeNext }], {
			handlers: options.handlers,
		});
		if (!reply) throw new Error("reportMany answered nothing");
		return reply;
	}

	/**
	 * A step message the queue gave up on (the dead-letter consumer): the attempt fails for good, if it
	 * is still the current one in flight, and the task gets a DLQ entry; otherwise it is dropped.
	 */
	async recordDeadLetter(
		stepUuid: string,
		attempt: number,
		info: DeadLetterInfo,
	): Promise<DeadLetterOutcome> {
		this.store.noteRequest();
		const wasFinished = this.isFinished();
		const outcome = this.transact(() =>
			recordDeadLetter(this.store, stepUuid, attempt, info, Date.now(), uuidv7),
		);
		await this.afterChange(!wasFinished && this.isFinished(), { dispatches: [], wakeAt: null });
		return outcome;
	}

	/**
	 * An event sent to the task: it completes the step waiting for it (whose dependents start now), or
	 * is kept for a step that does not wait yet; an event_id seen before changes nothing.
	 */
	async sendEvent(event: TaskEvent): Promise<EventReply> {
		if (!this.store.hasSchema()) return { kind: "unknown_task" };
		this.store.noteRequest();
		const wasFinished = this.isFinished();
		const outcome = this.transact(() => deliverEvent(this.store, event, Date.now(), uuidv7, SEND_GRACE_MS));
		if (outcome.kind !== "delivered") return outcome;
		await this.afterChange(!wasFinished && this.isFinished(), outcome.effects);
		const { effects: _effects, ...reply } = outcome;
		return reply;
	}

	/** Cancels the task: nothing unfinished runs any more; results still on their way are dropped. */
	async cancel(reason: string): Promise<OperatorReply> {
		this.store.noteRequest();
		return this.afterOperator(this.transact(() => cancelTask(this.store, Date.now(), reason)));
	}

	/** An operator's action on one step; the task resumes from where it is (even from `error`). */
	async actOnStep(stepUuid: string, action: StepAction): Promise<OperatorReply> {
		this.store.noteRequest();
		const outcome = this.transact(() => actOnStep(this.store, stepUuid, action, Date.now(), SEND_GRACE_MS));
		if (outcome.kind === "applied") logOperatorAction(outcome.task, outcome.step, action);
		return this.afterOperator(outcome);
	}

	private async afterOperator(outcome: OperatorOutcome): Promise<OperatorReply> {
		if (outcome.kind !== "applied") return outcome;
		await this.afterChange(isTerminalTaskState(outcome.task.status), outcome.effects);
		const task = this.store.loadTask() ?? outcome.task;
		const step = outcome.step ? this.store.getStep(outcome.step.stepUuid) : null;
		return { kind: "applied", task: toTaskView(task), step: step ? toStepView(task, step) : null };
	}

	override async alarm(): Promise<void> {
		// An alarm fires at or after its time; acting "as of" its scheduled time lets tests fire it
		// early with runDurableObjectAlarm, and changes nothing in production.
		if (!this.store.hasSchema()) return;
		this.store.noteRequest();
		const { effects, finishedHere, eventsDue } = this.transact(() => {
			const scheduledFor = this.schedule.consume();
			const wasFinished = this.isFinished();
			const now = Math.max(Date.now(), scheduledFor);
			const effects = runDueWork(this.store, now, SEND_GRACE_MS, Math.random, uuidv7);
			// Only a task that ever recorded an event has an outbox of them to look at.
			const recorded = this.store.loadTask()?.stats.domainEventsRecorded ?? 0;
			const eventsDue = recorded > 0 ? this.store.domainEventsDue(now, MAX_EVENTS_PER_ALARM) : [];
			return { effects, finishedHere: !wasFinished && this.isFinished(), eventsDue };
		});
		if (effects.stale) {
			logEvent("task.stale", {
				task_uuid: this.store.loadTask()?.taskUuid ?? null,
				threshold: effects.stale.field,
				failed_steps: effects.stale.failedSteps,
				dlq_entry_uuid: effects.stale.entry?.dlq_entry_uuid ?? null,
			});
		}
		// A timeout that exhausts a step's attempts, or staleness, can end the task here.
		await this.afterChange(finishedHere, effects, eventsDue);
	}

	/** The domain events recorded for this task, oldest first; null when there is no task here. */
	async listDomainEvents(): Promise<StoredDomainEvent[] | null> {
		if (!this.store.hasSchema() || !this.store.loadTask()) return null;
		return this.store.listDomainEvents();
	}

	/** The task; with `waitMs`, answers as soon as the task is finished, or when the wait runs out. */
	async getTask(waitMs = 0): Promise<TaskView | null> {
		const task = readTask(this.store);
		if (!task || waitMs <= 0 || isTerminalTaskState(task.status)) return task;
		await this.finishWaiters.wait(waitMs);
		return readTask(this.store);
	}

	async listSteps(): Promise<StepView[] | null> {
		return readSteps(this.store);
	}

	/** `undefined` when there is no task here; `null` when the task has no such step. */
	async getStep(stepUuid: string): Promise<StepView | null | undefined> {
		return readStep(this.store, stepUuid);
	}

	/** `undefined` when there is no task here; `null` when the task has no such step. */
	async getStepAudit(stepUuid: string): Promise<TransitionView[] | null | undefined> {
		return readStepAudit(this.store, stepUuid);
	}

	async getTaskAudit(): Promise<TransitionView[] | null> {
		return readTaskAudit(this.store);
	}

	/** The engine's operation counters: deterministic figures for tests and cost accounting. */
	async getStats() {
		return this.store.loadTask()?.stats ?? null;
	}

	/** One engine operation, one transaction; the task row is written once, at its end. */
	private transact<T>(operation: () => T): T {
		try {
			return this.ctx.storage.transactionSync(() => {
				const result = operation();
				this.store.flush();
				return result;
			});
		} catch (error) {
			this.store.discard();
			throw error;
		}
	}

	private isFinished(): boolean {
		const task = this.store.loadTask();
		return task !== null && isTerminalTaskState(task.status);
	}

	/** After a change: a finished task drops its alarm and wakes its readers; a running one arms for what is due. */
	private settle(finished: boolean, wakeAt: number | null): void {
		if (!finished) {
			this.schedule.arm(wakeAt);
			return;
		}
		this.schedule.clear();
		this.finishWaiters.wakeAll();
		const task = this.store.loadTask();
		if (task) logTaskFinished(task);
	}

	/**
	 * After an engine operation has been saved: settle the alarm and readers, send, then sync D1.
	 * Events owed keep an alarm even on a finished task, until the queue has them.
	 */
	private async afterChange(
		finished: boolean,
		effects: EngineEffects,
		events: readonly DomainEventMessage[] = [],
	): Promise<void> {
		this.settle(finished, effects.wakeAt);
		if (events.length > 0) this.schedule.arm(Date.now() + SEND_GRACE_MS);
		await this.send(effects.dispatches);
		if (events.length > 0) {
			await sendDomainEvents(
				this.env.DOMAIN_EVENTS,
				this.store,
				(op) => this.transact(op),
				this.schedule,
				events,
			);
		}
		this.fleet.sync();
		this.stream.broadcast();
	}

	private send(dispatches: readonly StepMessage[]): Promise<void> {
		return sendDispatches(
			(namespace) => requireNamespaceQueues(this.env).queueFor(namespace),
			this.store,
			(op) => this.transact(op),
			this.schedule,
			dispatches,
		);
	}
}
