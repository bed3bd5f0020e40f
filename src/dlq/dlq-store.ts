// The DLQ entries in D1 (binding TASK_INDEX, beside the task index): written by the task objects
// (staged, then pushed until they land; idempotent by entry uuid), read and resolved by the API.
// At most one `pending` entry per task, kept by a partial unique index: a task that already has one
// keeps it, and a later event of the same task is in its transition log only.
import {
	applyDlqPatch,
	DLQ_REASONS,
	type DlqEntry,
	type DlqEntryPatch,
	type DlqReason,
	type DlqResolutionStatus,
} from "../core/dlq-entry";
import { jsonElements, jsonRowChunks } from "../d1/json-row-chunks";

// The table dlq_entry and its indexes are created by the D1 migrations (migrations/).

/** The entry's columns in order: an entry travels as a JSON array of these values. */
const DLQ_COLUMNS = [
	"dlq_entry_uuid",
	"task_uuid",
	"namespace",
	"task_name",
	"original_state",
	"dlq_reason",
	"dlq_timestamp",
	"task_snapshot",
	"resolution_status",
	"resolution_notes",
	"resolved_at",
	"resolved_by",
	"metadata",
] as const satisfies ReadonlyArray<keyof DlqEntry>;

/** The snapshot and metadata are stored as JSON text. */
const STORED_AS_TEXT = new Set<string>(["task_snapshot", "metadata"]);

/**
 * The inserts of any number of entries, for a batch: one statement per JSON chunk of entries (see
 * D1_MAX_JSON_PARAMETER_CHARS). A retried push (same uuid) and an entry for a task that already has a
 * pending one are both no-ops.
 */
export function dlqInserts(db: D1Database, entries: readonly DlqEntry[]): D1PreparedStatement[] {
	const rows = entries.map((entry) =>
		DLQ_COLUMNS.map((column) => (STORED_AS_TEXT.has(column) ? JSON.stringify(entry[column]) : entry[column])),
	);
	return jsonRowChunks(rows).map((chunk) =>
		db
			.prepare(
				`INSERT INTO dlq_entry (${DLQ_COLUMNS.join(", ")})
				SELECT ${jsonElements("e", DLQ_COLUMNS.length)}
				FROM json_each(?) e WHERE true ON CONFLICT DO NOTHING`,
			)
			.bind(chunk),
	);
}

function entryOf(row: Record<string, unknown>): DlqEntry {
	const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
	const strOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v));
	return {
		dlq_entry_uuid: String(row.dlq_entry_uuid),
		task_uuid: String(row.task_uuid),
		namespace: String(row.namespace),
		task_name: String(row.task_name),
		original_state: String(row.original_state),
		dlq_reason: String(row.dlq_reason) as DlqReason,
		dlq_timestamp: Number(row.dlq_timestamp),
		task_snapshot: JSON.parse(String(row.task_snapshot)) as Record<string, unknown>,
		resolution_status: String(row.resolution_status) as DlqResolutionStatus,
		resolution_notes: strOrNull(row.resolution_notes),
		resolved_at: numOrNull(row.resolved_at),
		resolved_by: strOrNull(row.resolved_by),
		metadata: JSON.parse(String(row.metadata)) as Record<string, unknown>,
	};
}

/** Newest first; `total` counts every entry matching the filter. */
export async function listDlqEntries(
	db: D1Database,
	filter: { resolutionStatus?: DlqResolutionStatus },
	limit: number,
	offset: number,
): Promise<{ entries: DlqEntry[]; total: number }> {
	const where = filter.resolutionStatus === undefined ? "" : "WHERE resolution_status = ?";
	const values = filter.resolutionStatus === undefined ? [] : [filter.resolutionStatus];
	const [rows, count] = await db.batch<Record<string, unknown>>([
		db
			.prepare(
				`SELECT * FROM dlq_entry ${where} ORDER BY dlq_timestamp DESC, dlq_entry_uuid LIMIT ? OFFSET ?`,
			)
			.bind(...values, limit, offset),
		db.prepare(`SELECT COUNT(*) AS total FROM dlq_entry ${where}`).bind(...values),
	]);
	return {
		entries: (rows?.results ?? []).map(entryOf),
		total: Number(count?.results?.[0]?.total ?? 0),
	};
}

/** The task's entry: its pending one if it has one, else its newest; null if it has none. */
export async function dlqEntryForTask(db: D1Database, taskUuid: string): Promise<DlqEntry | null> {
	const row = await db
		.prepare(
			`SELECT * FROM dlq_entry WHERE task_uuid = ?
			ORDER BY resolution_status = 'pending' DESC, dlq_timestamp DESC LIMIT 1`,
		)
		.bind(taskUuid)
		.first<Record<string, unknown>>();
	return row ? entryOf(row) : null;
}

export async function dlqEntry(db: D1Database, entryUuid: string): Promise<DlqEntry | null> {
	const row = await db
		.prepare("SELECT * FROM dlq_entry WHERE dlq_entry_uuid = ?")
		.bind(entryUuid)
		.first<Record<string, unknown>>();
	return row ? entryOf(row) : null;
}

export type DlqUpdate =
	| { kind: "updated"; entry: DlqEntry }
	| { kind: "unknown" }
	| { kind: "conflict"; message: string };

/**
 * Applies an operator's patch. Compare-and-set on the status read: two operators resolving one entry
 * at once cannot both win; the loser sees the entry as the winner left it (a 409 or an idempotent repeat).
 */
export async function updateDlqEntry(
	db: D1Database,
	entryUuid: string,
	patch: DlqEntryPatch,
	now: number,
): Promise<DlqUpdate> {
	for (let round = 0; round < 3; round++) {
		const current = await dlqEntry(db, entryUuid);
		if (!current) return { kind: "unknown" };
		const next = applyDlqPatch(current, patch, now);
		if (!next.ok) return { kind: "conflict", message: next.message };
		const e = next.entry;
		const result = await db
			.prepare(
				`UPDATE dlq_entry SET resolution_status = ?, resolution_notes = ?, resolved_at = ?, resolved_by = ?,
					metadata = ? WHERE dlq_entry_uuid = ? AND resolution_status = ?`,
			)
			.bind(
				e.resolution_status,
				e.resolution_notes,
				e.resolved_at,
				e.resolved_by,
				JSON.stringify(e.metadata),
				entryUuid,
				current.resolution_status,
			)
			.run();
		if ((result.meta.changes ?? 0) > 0) return { kind: "updated", entry: e };
	}
	return { kind: "conflict", message: `DLQ entry ${entryUuid} is being changed by someone else: try again` };
}

export interface DlqReasonStats {
	dlq_reason: DlqReason;
	total_entries: number;
	pending: number;
	manually_resolved: number;
	permanent_failures: number;
	cancelled: number;
	oldest_entry: number | null;
	newest_entry: number | null;
	/** Mean minutes from entry to resolution, over the resolved entries; null when none is resolved. */
	avg_resolution_time_minutes: number | null;
}

/** Per reason, every reason listed (zeros included), in DLQ_REASONS order. */
export async function dlqStats(db: D1Database): Promise<DlqReasonStats[]> {
	const { results } = await db
		.prepare(
			`SELECT dlq_reason, COUNT(*) AS total_entries,
				SUM(resolution_status = 'pending') AS pending,
				SUM(resolution_status = 'manually_resolved') AS manually_resolved,
				SUM(resolution_status = 'permanently_failed') AS permanent_failures,
				SUM(resolution_status = 'cancelled') AS cancelled,
				MIN(dlq_timestamp) AS oldest_entry, MAX(dlq_timestamp) AS newest_entry,
				AVG(CASE WHEN resolved_at IS NOT NULL THEN (resolved_at - dlq_timestamp) / 60000.0 END) AS avg_minutes
			FROM dlq_entry GROUP BY dlq_reason`,
		)
		.all<Record<string, unknown>>();
	const byReason = new Map((results ?? []).map((row) => [String(row.dlq_reason), row]));
	const known: string[] = DLQ_REASONS;
	// A reason written by a newer version, unknown here, is still shown rather than hidden.
	const reasons = [...DLQ_REASONS, ...[...byReason.keys()].filter((r) => !known.includes(r))];
	return reasons.map((reason) => {
		const row = byReason.get(reason);
		const n = (key: string) => Number(row?.[key] ?? 0);
		const t = (key: string) => (row?.[key] === null || row?.[key] === undefined ? null : Number(row[key]));
		const avg = t("avg_minutes");
		return {
			dlq_reason: reason as DlqReason,
			total_entries: n("total_entries"),
			pending: n("pending"),
			manually_resolved: n("manually_resolved"),
			permanent_failures: n("permanent_failures"),
			cancelled: n("cancelled"),
			oldest_entry: t("oldest_entry"),
			newest_entry: t("newest_entry"),
			avg_resolution_time_minutes: avg === null ? null : Math.round(avg * 100) / 100,
		};
	});
}
