// The rows the task engine reads and writes through its store: one task, its steps, and the
// append-only transition log. Times are epoch milliseconds; JSON-valued fields hold plain data.
import type { StepType } from "../templates/step-types";
import type { EventDeclaration, RetryPolicy } from "../templates/task-template";
import type { StalenessPolicy } from "./lifecycle";
import type { StepState, TaskState } from "./states";
import type { SerializedStepError } from "./step-outcome";
import type { HandlerWait } from "./wait-spec";

/** How many steps are in each state: kept on the task row so that status checks never scan the steps. */
export type StepCounts = Record<StepState, number>;

/** Operation counters, deterministic per task: what the engine did, for tests and cost accounting. */
export interface TaskStats {
	/** `Queue.sendBatch` calls that succeeded. */
	sendBatches: number;
	messagesSent: number;
	sendFailures: number;
	resultsApplied: number;
	/** Duplicate, stale or late results that were acknowledged and dropped. */
	resultsDropped: number;
	/** Attempts the task object failed itself because their deadline passed with no result (`timeout`). */
	timeouts: number;
	/** Sent steps sent again because no consumer claimed them within their claim window (a lost message). */
	unclaimedResends: number;
	claims: number;
	/** Deliveries refused at claim time (the attempt is finished or superseded): their handler never ran. */
	claimsDropped: number;
	/** Dead letters (step messages the queue gave up on) recorded as a step failure. */
	deadLetters: number;
	/** Dead letters of an attempt already finished or superseded: acknowledged and dropped. */
	deadLettersDropped: number;
	/** Domain events recorded with a result (the outbox); absent until a step declares events. */
	domainEventsRecorded?: number;
	/** Declared events not published because their payload broke the event's schema. */
	domainEventsRejected?: number;
	/** Billed object invocations that did engine work (create, claim, report, alarm); kept by the storage shell. */
	requests: number;
	/** SQLite rows read and written (indexes included), as the platform bills them; kept by the storage shell. */
	rowsRead: number;
	rowsWritten: number;
}

export interface TaskRecord {
	taskUuid: string;
	name: string;
	namespace: string;
	version: string;
	status: TaskState;
	context: Record<string, unknown>;
	initiator: string;
	sourceSystem: string;
	reason: string;
	tags: string[];
	priority: number;
	correlationId: string;
	parentCorrelationId: string | null;
	createdAt: number;
	updatedAt: number;
	completedAt: number | null;
	totalSteps: number;
	counts: StepCounts;
	/** Steps whose dispatch is saved but whose send is not yet confirmed (the outbox). */
	pendingSends: number;
	/**
	 * When anything last moved (the time of the last transition logged): the staleness check measures
	 * the time spent in the current status from here.
	 */
	progressAt: number;
	/** The lifetime and staleness thresholds fixed at creation; null for a task created before they existed. */
	staleness: TaskStaleness | null;
	/** The sequence number of the last transition logged: the log's order, kept here so that appending costs one row. */
	transitionSeq: number;
	stats: TaskStats;
}

export interface TaskStaleness extends StalenessPolicy {
	/** Where the lifetime (`maxDurationMs`) counts from: creation, or an operator's revival from `error`. */
	lifetimeFrom: number;
}

export interface StepResult {
	result: unknown;
	metadata: {
		execution_time_ms: number;
		attempt: number;
		/** The handler's own metadata (`StepHandlerResult.success(result, metadata)`). */
		custom: Record<string, unknown>;
	};
}

/**
 * The parts of a step's definition that only templates of the wider format use; null for a plain
 * step, so that it costs nothing (one null column) where they are not used.
 */
export interface StepExtras {
	/** `handler.method`: the handler method run instead of `call`. */
	method?: string;
	/** `result_schema`: a successful result must match it. */
	resultSchema?: unknown;
	/** `publishes_events`: the events an attempt's outcome may publish. */
	publishesEvents?: EventDeclaration[];
}

export interface StepRecord {
	/** Position in the template: the stable internal key of the step within its task. */
	idx: number;
	stepUuid: string;
	name: string;
	description: string | null;
	callable: string;
	initialization: Record<string, unknown>;
	dependencies: string[];
	retry: RetryPolicy;
	timeoutSeconds: number;
	/** Absent or null: none (see StepExtras). */
	extras?: StepExtras | null;
	state: StepState;
	/** The current attempt (1-based); 0 until first dispatched. Every dispatch and result carries it. */
	attempt: number;
	/**
	 * Attempts used before the last operator reset. Attempt numbers are never reused (they fence late
	 * results), so a reset grants `retry.maxAttempts` more runs from here instead of starting from 0.
	 */
	retryBase: number;
	/** Parents not yet complete: the step is ready when this reaches 0 (incremental readiness, no scans). */
	unmetParents: number;
	totalParents: number;
	/** When set, a message for the current attempt is owed to the queue from this time on (the outbox). */
	dispatchDueAt: number | null;
	nextRetryAt: number | null;
	/**
	 * While `in_progress`: when the running attempt must have reported (its `timeout_seconds` plus a
	 * grace). Past it the alarm fails the attempt as a retryable `timeout`, so a consumer that died or
	 * hung never leaves its step running forever. null in every other state.
	 */
	deadlineAt: number | null;
	result: StepResult | null;
	lastError: SerializedStepError | null;
	createdAt: number;
	updatedAt: number;
	lastAttemptedAt: number | null;
	lastFailureAt: number | null;
	completedAt: number | null;
	// Dynamic workflows only (absent on every step of a template without dynamic steps):
	/** The reference's step type. */
	stepType?: StepType;
	/** The template step it was made from, when its name differs (a batch worker's `worker_template`). */
	templateName?: string | null;
	/** The reference's per-step inputs: a batch worker's cursor (`BatchWorkerInputs`). */
	stepInputs?: Record<string, unknown> | null;
	/** The last checkpoint the step yielded: its next run resumes from it. */
	checkpoint?: CheckpointRecord | null;
	/** The decision or batchable step whose result created this step; null when it existed from the start. */
	createdBy?: string | null;
	/** While its handler's attempt waits for an event (`StepHandlerResult.waitForEvent`); absent otherwise. */
	handlerWait?: HandlerWait | null;
}

/** A checkpoint as kept with its step (the reference's `workflow_steps.checkpoint`). */
export interface CheckpointRecord {
	cursor: unknown;
	items_processed: number;
	accumulated_results?: Record<string, unknown>;
	/** When it was recorded (epoch ms). */
	timestamp: number;
	/**
	 * How many checkpoints the step has yielded. Each yield starts a new fenced attempt (so a late copy
	 * of an older checkpoint is dropped) that does not count against the retry budget: the handler's
	 * own attempt number is `attempt - yields`.
	 */
	yields: number;
}

export interface TransitionRecord {
	/** The order of the log, from the task's counter. */
	seq: number;
	/** null for a transition of the task itself. */
	stepIdx: number | null;
	stepUuid: string | null;
	stepName: string | null;
	fromState: string | null;
	toState: string;
	attempt: number | null;
	at: number;
	metadata: Record<string, unknown>;
}
