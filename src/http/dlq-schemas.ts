// The DLQ API's bodies as zod schemas (OpenAPI spec, request validation, the client's types) and the
// views that build them from stored entries; the checks at the end fail to compile if they drift.
import { z } from "zod";
import { DLQ_REASONS, DLQ_RESOLUTION_STATUSES, type DlqEntry, DlqResolutionStatus } from "../core/dlq-entry";
import { iso } from "../core/task-views";
import type { DlqReasonStats } from "../dlq/dlq-store";
import { MAX_TEXT_FIELD_LENGTH } from "../limits";
import { expecting, mapping, strictObject, stringOfLength } from "../validation/field-schemas";
import type { Assert, Same } from "../validation/same-type";

const time = () => z.string().nullable().meta({ format: "date-time" });
const count = () => z.number().int().nonnegative();

export const dlqReasonSchema = z.enum(DLQ_REASONS).meta({
	id: "DlqReason",
	description:
		"staleness_timeout: the task passed a lifecycle threshold; worker_unavailable: the queue gave up on one of its step messages (a dead letter).",
});
export const dlqResolutionStatusSchema = z.enum(DLQ_RESOLUTION_STATUSES).meta({ id: "DlqResolutionStatus" });

const entryFields = {
	dlq_entry_uuid: z.string().meta({ format: "uuid" }),
	task_uuid: z.string().meta({ format: "uuid" }),
	namespace: z.string(),
	task_name: z.string(),
	original_state: z.string().meta({ description: "The task's status when the entry was made." }),
	dlq_reason: dlqReasonSchema,
	dlq_timestamp: z.string().meta({ format: "date-time" }),
	resolution_status: dlqResolutionStatusSchema,
	resolution_notes: z.string().nullable(),
	resolved_at: time(),
	resolved_by: z.string().nullable(),
	metadata: z
		.record(z.string(), z.unknown())
		.meta({ description: "What made the entry, then the operator's." }),
};

/** An entry in a list: everything but the snapshot (read it per task). */
export const dlqEntrySummarySchema = z.object(entryFields).meta({ id: "DlqEntrySummary" });

export const dlqEntrySchema = z
	.object({
		...entryFields,
		task_snapshot: z.record(z.string(), z.unknown()).meta({
			description:
				"The task when the entry was made: identity, status, step counts and its unfinished steps (state, attempts, last error); not its context.",
		}),
	})
	.meta({ id: "DlqEntry" });

export const dlqListSchema = z
	.object({
		entries: z.array(dlqEntrySummarySchema),
		total_count: count(),
		limit: count(),
		offset: count(),
	})
	.meta({ id: "DlqList" });

export const dlqReasonStatsSchema = z
	.object({
		dlq_reason: dlqReasonSchema,
		total_entries: count(),
		pending: count(),
		manually_resolved: count(),
		permanent_failures: count(),
		cancelled: count(),
		oldest_entry: time(),
		newest_entry: time(),
		avg_resolution_time_minutes: z.number().nullable(),
	})
	.meta({ id: "DlqReasonStats" });

export const dlqStatsSchema = z
	.object({ total_entries: count(), pending: count(), by_reason: z.array(dlqReasonStatsSchema) })
	.meta({ id: "DlqStats" });

const text = () => stringOfLength(1, MAX_TEXT_FIELD_LENGTH);

/** PATCH /v1/dlq/entry/{dlq_entry_uuid}: every field optional, at least one given. */
export const dlqPatchSchema = strictObject(
	{
		resolution_status: z
			.enum(DLQ_RESOLUTION_STATUSES, {
				error: expecting(`one of: ${DLQ_RESOLUTION_STATUSES.join(", ")}`),
			})
			.optional(),
		resolution_notes: text().optional(),
		resolved_by: text().optional(),
		metadata: mapping("a JSON object").optional(),
	},
	"a JSON object with resolution_status, resolution_notes, resolved_by or metadata",
)
	.refine((patch) => Object.keys(patch).length > 0, {
		error:
			"the body changes nothing: give at least one of resolution_status, resolution_notes, resolved_by, metadata",
	})
	.meta({ id: "DlqEntryPatch" });

export function toDlqEntryView(entry: DlqEntry) {
	return { ...toDlqSummaryView(entry), task_snapshot: entry.task_snapshot };
}

export function toDlqSummaryView(entry: DlqEntry) {
	return {
		dlq_entry_uuid: entry.dlq_entry_uuid,
		task_uuid: entry.task_uuid,
		namespace: entry.namespace,
		task_name: entry.task_name,
		original_state: entry.original_state,
		dlq_reason: entry.dlq_reason,
		dlq_timestamp: new Date(entry.dlq_timestamp).toISOString(),
		resolution_status: entry.resolution_status,
		resolution_notes: entry.resolution_notes,
		resolved_at: iso(entry.resolved_at),
		resolved_by: entry.resolved_by,
		metadata: entry.metadata,
	};
}

export function toDlqStatsView(stats: readonly DlqReasonStats[]) {
	return {
		total_entries: stats.reduce((sum, s) => sum + s.total_entries, 0),
		pending: stats.reduce((sum, s) => sum + s.pending, 0),
		by_reason: stats.map((s) => ({
			...s,
			oldest_entry: iso(s.oldest_entry),
			newest_entry: iso(s.newest_entry),
		})),
	};
}

/** Statuses an operator may set (pending is where entries start, never a target). */
export const DLQ_RESOLUTIONS = DLQ_RESOLUTION_STATUSES.filter((s) => s !== DlqResolutionStatus.pending);

export type DlqEntryView = ReturnType<typeof toDlqEntryView>;
export type DlqSummaryView = ReturnType<typeof toDlqSummaryView>;
export type DlqStatsView = ReturnType<typeof toDlqStatsView>;
export type _DlqEntryMatches = Assert<Same<z.output<typeof dlqEntrySchema>, DlqEntryView>>;
export type _DlqSummaryMatches = Assert<Same<z.output<typeof dlqEntrySummarySchema>, DlqSummaryView>>;
export type _DlqStatsMatches = Assert<Same<z.output<typeof dlqStatsSchema>, DlqStatsView>>;
