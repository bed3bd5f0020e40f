// How long the analytics keep a step execution (table step_execution in D1), and the pruning that
// enforces it: run by the Worker's `scheduled` handler (a daily cron in wrangler.toml), never on the
// path of a task. Rows go oldest first, by the index on `at` (migrations/0002_step_execution.sql),
// in bounded batches, so that neither a statement nor a run grows with the table.
import { logEvent } from "../observability/log-event";

/** The setting (a Worker var): whole days to keep a step execution; 0 keeps them for ever. */
export const RETENTION_SETTING = "TASKER_ANALYTICS_RETENTION_DAYS";
export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;
/** Rows one statement deletes: a short write that leaves D1 free for the task objects' pushes. */
export const PRUNE_BATCH_ROWS = 2_500;
/**
 * Statements one run makes at most (100,000 rows); what is left goes on the next run. Under the free
 * plan's 50 D1 queries per invocation (every statement counts), so that a run never fails half-way.
 */
export const PRUNE_MAX_BATCHES = 40;

export type RetentionSetting = { days: number } | { problem: string };

/** Reads the setting: absent means the default; anything but a whole number of days ≥ 0 is refused. */
export function retentionDays(value: unknown): RetentionSetting {
	if (value === undefined || value === null || value === "") return { days: DEFAULT_RETENTION_DAYS };
	const days =
		typeof value === "number" ? value : typeof value === "string" ? Number(value.trim()) : Number.NaN;
	if (!Number.isInteger(days) || days < 0) {
		return {
			problem: `${RETENTION_SETTING} is ${JSON.stringify(value)}; expected a whole number of days, 0 or more (0 keeps every row)`,
		};
	}
	return { days };
}

export interface PruneOptions {
	/** Epoch ms: rows recorded before now − retention go. */
	now: number;
	days: number;
	batchRows?: number;
	maxBatches?: number;
}

export interface PruneResult {
	deleted: number;
	/** Whether the run stopped at its batch bound with rows still due (the next run goes on). */
	more: boolean;
	/** Epoch ms: rows recorded before this were due. */
	cutoff: number | null;
}

/** Deletes the executions recorded before the cutoff, oldest first, in bounded batches. */
export async function pruneStepExecutions(db: D1Database, options: PruneOptions): Promise<PruneResult> {
	if (options.days === 0) return { deleted: 0, more: false, cutoff: null };
	const cutoff = options.now - options.days * DAY_MS;
	const batchRows = options.batchRows ?? PRUNE_BATCH_ROWS;
	const maxBatches = options.maxBatches ?? PRUNE_MAX_BATCHES;
	// The inner SELECT walks the `at` index from its oldest end and stops after batchRows: no full scan.
	const statement = db.prepare(
		`DELETE FROM step_execution WHERE rowid IN
			(SELECT rowid FROM step_execution WHERE at < ? ORDER BY at LIMIT ?)`,
	);
	let deleted = 0;
	for (let batch = 0; batch < maxBatches; batch += 1) {
		const result = await statement.bind(cutoff, batchRows).run();
		const changes = result.meta.changes ?? 0;
		deleted += changes;
		if (changes < batchRows) return { deleted, more: false, cutoff };
	}
	return { deleted, more: true, cutoff };
}

/** The `scheduled` handler's work: prune by the setting, and say what was done (or why not). */
export async function pruneAnalytics(env: Env, now: number): Promise<PruneResult | null> {
	const setting = retentionDays((env as unknown as Record<string, unknown>)[RETENTION_SETTING]);
	if ("problem" in setting) {
		// A misread setting must not delete anything: say so, and keep every row.
		logEvent("analytics.retention_invalid", { problem: setting.problem });
		return null;
	}
	const result = await pruneStepExecutions(env.TASK_INDEX, { now, days: setting.days });
	logEvent("analytics.pruned", {
		deleted: result.deleted,
		more: result.more,
		retention_days: setting.days,
		cutoff: result.cutoff === null ? null : new Date(result.cutoff).toISOString(),
	});
	return result;
}
