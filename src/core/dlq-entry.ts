// A DLQ entry: investigation tracking for a task that needs a person (reference §5 "DLQ"). It never
// retries or changes a step; it records why the task landed there, a snapshot of it at that moment,
// and what an operator decided. Snake_case fields, as the API shows them (and as D1 stores them).
import { lastAllowedAttempt } from "./retry-budget";
import { StepState } from "./states";
import type { StepRecord, TaskRecord } from "./task-records";

/**
 * Why an entry was made. Only these two are ever produced: `staleness_timeout` by the staleness
 * check, `worker_unavailable` by the dead-letter consumer (a step message the queue gave up on).
 */
export const DlqReason = {
	stalenessTimeout: "staleness_timeout",
	workerUnavailable: "worker_unavailable",
} as const;
export type DlqReason = (typeof DlqReason)[keyof typeof DlqReason];
export const DLQ_REASONS = Object.values(DlqReason);

export const DlqResolutionStatus = {
	pending: "pending",
	manuallyResolved: "manually_resolved",
	permanentlyFailed: "permanently_failed",
	cancelled: "cancelled",
} as const;
export type DlqResolutionStatus = (typeof DlqResolutionStatus)[keyof typeof DlqResolutionStatus];
export const DLQ_RESOLUTION_STATUSES = Object.values(DlqResolutionStatus);

/** The steps a snapshot lists at most (the unfinished and failed ones first); the rest are counted. */
export const MAX_SNAPSHOT_STEPS = 100;

export interface DlqEntry {
	dlq_entry_uuid: string;
	task_uuid: string;
	namespace: string;
	task_name: string;
	/** The task's status when it was sent to the DLQ (before it moved to `error`). */
	original_state: string;
	dlq_reason: DlqReason;
	/** Epoch milliseconds. */
	dlq_timestamp: number;
	task_snapshot: Record<string, unknown>;
	resolution_status: DlqResolutionStatus;
	resolution_notes: string | null;
	resolved_at: number | null;
	resolved_by: string | null;
	metadata: Record<string, unknown>;
}

/** A new, pending entry for a task, with its snapshot as the task is now. */
export function newDlqEntry(
	task: TaskRecord,
	steps: readonly StepRecord[],
	fields: {
		uuid: string;
		originalState: string;
		reason: DlqReason;
		now: number;
		metadata: Record<string, unknown>;
	},
): DlqEntry {
	return {
		dlq_entry_uuid: fields.uuid,
		task_uuid: task.taskUuid,
		namespace: task.namespace,
		task_name: task.name,
		original_state: fields.originalState,
		dlq_reason: fields.reason,
		dlq_timestamp: fields.now,
		task_snapshot: taskSnapshot(task, steps, fields.originalState),
		resolution_status: DlqResolutionStatus.pending,
		resolution_notes: null,
		resolved_at: null,
		resolved_by: null,
		metadata: fields.metadata,
	};
}

/**
 * What an investigator needs first: the task's identity, status and counts, and its steps that did not
 * finish (state, attempts, last error). The context is left out (it can be half a megabyte; the task
 * object keeps it), and completed steps are only counted.
 */
function taskSnapshot(task: TaskRecord, steps: readonly StepRecord[], originalState: string) {
	const notDone = steps.filter(
		(s) => s.state !== StepState.complete && s.state !== StepState.resolvedManually,
	);
	const shown = notDone.slice(0, MAX_SNAPSHOT_STEPS);
	return {
		task_uuid: task.taskUuid,
		name: task.name,
		namespace: task.namespace,
		version: task.version,
		status: task.status,
		original_state: originalState,
		correlation_id: task.correlationId,
		initiator: task.initiator,
		source_system: task.sourceSystem,
		created_at: new Date(task.createdAt).toISOString(),
		updated_at: new Date(task.updatedAt).toISOString(),
		total_steps: task.totalSteps,
		step_counts: { ...task.counts },
		unfinished_steps: shown.map((s) => ({
			step_uuid: s.stepUuid,
			name: s.name,
			state: s.state,
			attempts: s.attempt,
			max_attempts: lastAllowedAttempt(s),
			last_attempted_at: s.lastAttemptedAt === null ? null : new Date(s.lastAttemptedAt).toISOString(),
			last_error: s.lastError,
		})),
		unfinished_steps_omitted: notDone.length - shown.length,
	};
}

/** An operator's change to an entry (PATCH /v1/dlq/entry/{uuid}); absent fields stay as they are. */
export interface DlqEntryPatch {
	resolution_status?: DlqResolutionStatus;
	resolution_notes?: string;
	resolved_by?: string;
	metadata?: Record<string, unknown>;
}

/**
 * The entry after the patch, or why it is refused. The status only leaves `pending` (to one of the
 * resolutions) and never returns to it; repeating an entry's own status is allowed (a retried PATCH).
 * Notes, resolver and metadata may be amended at any time: the investigation goes on after a decision.
 */
export function applyDlqPatch(
	entry: DlqEntry,
	patch: DlqEntryPatch,
	now: number,
): { ok: true; entry: DlqEntry } | { ok: false; message: string } {
	const next = { ...entry };
	const to = patch.resolution_status;
	if (to !== undefined && to !== entry.resolution_status) {
		if (to === DlqResolutionStatus.pending) {
			return {
				ok: false,
				message: `DLQ entry ${entry.dlq_entry_uuid} is ${entry.resolution_status}: a resolved entry cannot go back to pending`,
			};
		}
		if (entry.resolution_status !== DlqResolutionStatus.pending) {
			return {
				ok: false,
				message: `DLQ entry ${entry.dlq_entry_uuid} is already ${entry.resolution_status}: only a pending entry can be resolved (to ${to})`,
			};
		}
		next.resolution_status = to;
		next.resolved_at = now;
	}
	if (patch.resolution_notes !== undefined) next.resolution_notes = patch.resolution_notes;
	if (patch.resolved_by !== undefined) next.resolved_by = patch.resolved_by;
	if (patch.metadata !== undefined) next.metadata = patch.metadata;
	return { ok: true, entry: next };
}
