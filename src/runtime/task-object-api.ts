// The task object's RPC surface, as its callers (routes, consumers, the dead-letter consumer, schedules)
// see it: declared here, beside the runtime it exposes, so that nothing outside durable-objects/
// depends on the Durable Object class itself. The class implements this interface.
import type { ClaimOutcome } from "../core/claim-step";
import type { CreateTaskInput } from "../core/create-task";
import type { DeadLetterInfo, DeadLetterOutcome } from "../core/dead-letter";
import type { DomainEventMessage } from "../core/domain-events";
import type { StepAction } from "../core/operator-actions";
import type { StepOutcome } from "../core/step-outcome";
import type { TaskStats } from "../core/task-records";
import type { StepView, TaskView, TransitionView } from "../core/task-views";
import type { TaskEvent } from "../core/wait-event";
import type { EventReply, OperatorReply, RecordReply, ReporterInfo, ReportItem } from "./task-object-replies";

/** A domain event as the task keeps it in its outbox, with its delivery state. */
export interface StoredDomainEvent {
	event: DomainEventMessage;
	recordedAt: number;
	sentAt: number | null;
	/** Still to be sent (a first send in progress, or one that failed and waits for the alarm). */
	owed: boolean;
	sendAttempts: number;
}

export interface TaskObjectApi {
	create(input: CreateTaskInput): Promise<{ task: TaskView; created: boolean }>;
	claim(stepUuid: string, attempt: number): Promise<ClaimOutcome>;
	claimMany(items: ReadonlyArray<{ stepUuid: string; attempt: number }>): Promise<ClaimOutcome[]>;
	report(
		stepUuid: string,
		attempt: number,
		outcome: StepOutcome,
		options?: { takeNext?: boolean } & ReporterInfo,
	): Promise<RecordReply>;
	reportMany(items: ReadonlyArray<ReportItem>, reporter?: ReporterInfo): Promise<RecordReply[]>;
	recordDeadLetter(stepUuid: string, attempt: number, info: DeadLetterInfo): Promise<DeadLetterOutcome>;
	cancel(reason: string): Promise<OperatorReply>;
	actOnStep(stepUuid: string, action: StepAction): Promise<OperatorReply>;
	sendEvent(event: TaskEvent): Promise<EventReply>;
	getTask(waitMs?: number): Promise<TaskView | null>;
	listSteps(): Promise<StepView[] | null>;
	/** `undefined` when there is no task here; `null` when the task has no such step. */
	getStep(stepUuid: string): Promise<StepView | null | undefined>;
	/** `undefined` when there is no task here; `null` when the task has no such step. */
	getStepAudit(stepUuid: string): Promise<TransitionView[] | null | undefined>;
	getTaskAudit(): Promise<TransitionView[] | null>;
	/** The domain events recorded for this task, oldest first; null when there is no task here. */
	listDomainEvents(): Promise<StoredDomainEvent[] | null>;
	/** The engine's operation counters: deterministic figures for tests and cost accounting. */
	getStats(): Promise<TaskStats | null>;
}
