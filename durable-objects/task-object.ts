// One Durable Object per task: the platform's side of the task runtime (src/runtime/task-runtime.ts).
// It gives the runtime its SQLite store, transactions, alarm, queues, clock and ids, and exposes the
// runtime's operations as RPC methods; every engine decision and its sequencing live in the runtime.
import { DurableObject } from "cloudflare:workers";
import { v7 as uuidv7 } from "uuid";
import type { ClaimOutcome } from "../src/core/claim-step";
import type { CreateTaskInput } from "../src/core/create-task";
import type { DeadLetterInfo, DeadLetterOutcome } from "../src/core/dead-letter";
import type { StepAction } from "../src/core/operator-actions";
import type { StepOutcome } from "../src/core/step-outcome";
import type { StepView, TaskView, TransitionView } from "../src/core/task-views";
import type { TaskEvent } from "../src/core/wait-event";
import { deliverFleetPush } from "../src/fleet/fleet-writer-stub";
import { configureLogging } from "../src/observability/log-event";
import { requireNamespaceQueues } from "../src/queue/namespace-queues";
import type { StoredDomainEvent, TaskObjectApi } from "../src/runtime/task-object-api";
import type {
	EventReply,
	OperatorReply,
	RecordReply,
	ReporterInfo,
	ReportItem,
} from "../src/runtime/task-object-replies";
import { readStep, readStepAudit, readSteps, readTaskAudit } from "../src/runtime/task-reads";
import { TaskRuntime } from "../src/runtime/task-runtime";
import { FleetSync } from "./fleet-sync";
import { SqliteTaskStore } from "./sqlite-task-store";
import { TaskStream } from "./task-stream";
import { streamRequest } from "./task-stream-request";

export class TaskObject extends DurableObject<Env> implements TaskObjectApi {
	private readonly store: SqliteTaskStore;
	private readonly runtime: TaskRuntime;
	private readonly stream: TaskStream;
	private readonly fleet: FleetSync;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		// TASKER_LOG_LEVEL: an object may run where no request of this Worker has set it.
		configureLogging(env);
		const store = new SqliteTaskStore(ctx.storage.sql);
		const stream = new TaskStream(ctx, store);
		// Bindings are read from this.env at each use, not captured: tests swap one for a faulty double.
		const runtime = new TaskRuntime({
			store,
			atomically: (operation) => ctx.storage.transactionSync(operation),
			alarm: {
				set: (at) => void ctx.storage.setAlarm(at),
				delete: () => void ctx.storage.deleteAlarm(),
			},
			queueFor: (namespace) => requireNamespaceQueues(this.env).queueFor(namespace),
			domainEventQueue: () => this.env.DOMAIN_EVENTS,
			checkRouting: () => void requireNamespaceQueues(this.env),
			now: Date.now,
			random: Math.random,
			newId: uuidv7,
			syncFleet: () => this.fleet.sync(),
			beforeCommit: () => this.fleet.stageWithin(),
			afterRollback: () => this.fleet.forget(),
			broadcast: () => stream.broadcast(),
		});
		this.fleet = new FleetSync(
			store,
			(push) => deliverFleetPush(this.env, push),
			runtime.alarm,
			(operation) => runtime.transact(operation),
		);
		this.store = store;
		this.stream = stream;
		this.runtime = runtime;
	}

	/** The live stream's WebSocket upgrade (the one request not made over RPC): see task-stream.ts. */
	override async fetch(request: Request): Promise<Response> {
		return streamRequest(request, this.stream);
	}

	override async webSocketClose(ws: WebSocket): Promise<void> {
		this.stream.closed(ws);
	}

	override async alarm(): Promise<void> {
		await this.runtime.alarmFired();
	}

	async create(input: CreateTaskInput): Promise<{ task: TaskView; created: boolean }> {
		return this.runtime.create(input);
	}

	async claimMany(items: ReadonlyArray<{ stepUuid: string; attempt: number }>): Promise<ClaimOutcome[]> {
		return this.runtime.claimMany(items);
	}

	async claim(stepUuid: string, attempt: number): Promise<ClaimOutcome> {
		const [outcome] = await this.runtime.claimMany([{ stepUuid, attempt }]);
		if (!outcome) throw new Error("claimMany answered nothing");
		return outcome;
	}

	async reportMany(items: ReadonlyArray<ReportItem>, reporter: ReporterInfo = {}): Promise<RecordReply[]> {
		return this.runtime.reportMany(items, reporter);
	}

	async report(
		stepUuid: string,
		attempt: number,
		outcome: StepOutcome,
		options: { takeNext?: boolean } & ReporterInfo = {},
	): Promise<RecordReply> {
		const [reply] = await this.runtime.reportMany(
			[{ stepUuid, attempt, outcome, takeNext: options.takeNext }],
			{
				handlers: options.handlers,
			},
		);
		if (!reply) throw new Error("reportMany answered nothing");
		return reply;
	}

	async recordDeadLetter(
		stepUuid: string,
		attempt: number,
		info: DeadLetterInfo,
	): Promise<DeadLetterOutcome> {
		return this.runtime.recordDeadLetter(stepUuid, attempt, info);
	}

	async sendEvent(event: TaskEvent): Promise<EventReply> {
		return this.runtime.sendEvent(event);
	}

	async cancel(reason: string): Promise<OperatorReply> {
		return this.runtime.cancel(reason);
	}

	async actOnStep(stepUuid: string, action: StepAction): Promise<OperatorReply> {
		return this.runtime.actOnStep(stepUuid, action);
	}

	async getTask(waitMs = 0): Promise<TaskView | null> {
		return this.runtime.getTask(waitMs);
	}

	async listSteps(): Promise<StepView[] | null> {
		return readSteps(this.store);
	}

	async getStep(stepUuid: string): Promise<StepView | null | undefined> {
		return readStep(this.store, stepUuid);
	}

	async getStepAudit(stepUuid: string): Promise<TransitionView[] | null | undefined> {
		return readStepAudit(this.store, stepUuid);
	}

	async getTaskAudit(): Promise<TransitionView[] | null> {
		return readTaskAudit(this.store);
	}

	async listDomainEvents(): Promise<StoredDomainEvent[] | null> {
		if (!this.store.hasSchema() || !this.store.loadTask()) return null;
		return this.store.listDomainEvents();
	}

	async getStats() {
		return this.store.loadTask()?.stats ?? null;
	}
}
