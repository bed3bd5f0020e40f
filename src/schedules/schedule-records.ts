// A schedule as its Durable Object stores it, its runs, and the views the API answers (snake_case).
import type { CatchUp } from "./plan-due-runs";

export const OVERLAP_POLICIES = ["skip", "allow", "cancel_previous"] as const;
/** While the previous run's task is still active: start nothing, start anyway, or cancel it and start. */
export type Overlap = (typeof OVERLAP_POLICIES)[number];

/** When and how a schedule runs its template: shared by an API schedule and a template's `schedules:`. */
export interface ScheduleTiming {
	cron: string;
	timezone: string;
	context: Record<string, unknown>;
	overlap: Overlap;
	catchUp: CatchUp;
	paused: boolean;
}

export interface ScheduleSettings extends ScheduleTiming {
	namespace: string;
	name: string;
	/** Null: the newest registered version of the template when each run starts. */
	version: string | null;
}

export interface ScheduleRecord extends ScheduleSettings {
	scheduleId: string;
	/** The newest due time already considered (started, skipped or missed): nothing at or before it is started again. */
	cursor: number;
	createdAt: number;
	updatedAt: number;
	/** Increases on every change: the index (D1) keeps a row only if it is not older than the one it has. */
	revision: number;
	runsStarted: number;
	runsSkipped: number;
	runsFailed: number;
	runsMissed: number;
}

export const RUN_KINDS = ["scheduled", "triggered"] as const;
export type RunKind = (typeof RUN_KINDS)[number];
/** `pending`: decided, its task not yet submitted (a crash here is finished by the next alarm). */
export const RUN_STATES = ["pending", "started", "skipped", "failed"] as const;
export type RunState = (typeof RUN_STATES)[number];

export interface ScheduleRun {
	seq: number;
	kind: RunKind;
	dueAt: number;
	state: RunState;
	/** A triggered run's own overlap policy, if its request named one. */
	overlap: Overlap | null;
	taskUuid: string | null;
	/** Why a run was skipped or failed. */
	detail: string | null;
	createdAt: number;
	updatedAt: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The idempotency key of a run's task: one task per schedule, kind and due time, however often it is submitted. */
export function runIdempotencyKey(scheduleId: string, kind: RunKind, dueAt: number): string {
	return `schedule:${scheduleId}:${kind}:${iso(dueAt)}`;
}

export interface ScheduleView {
	schedule_id: string;
	namespace: string;
	name: string;
	version: string | null;
	cron: string;
	timezone: string;
	context: Record<string, unknown>;
	overlap: Overlap;
	catch_up: CatchUp;
	paused: boolean;
	next_run_at: string | null;
	created_at: string;
	updated_at: string;
	runs: { started: number; skipped: number; failed: number; missed: number };
}

export interface ScheduleRunView {
	seq: number;
	kind: RunKind;
	due_at: string;
	state: RunState;
	task_uuid: string | null;
	detail: string | null;
	created_at: string;
	updated_at: string;
}

export interface ScheduleDetailView extends ScheduleView {
	next_runs: string[];
	/** Newest first. */
	last_runs: ScheduleRunView[];
}

export function toScheduleView(record: ScheduleRecord, nextRunAt: number | null): ScheduleView {
	return {
		schedule_id: record.scheduleId,
		namespace: record.namespace,
		name: record.name,
		version: record.version,
		cron: record.cron,
		timezone: record.timezone,
		context: record.context,
		overlap: record.overlap,
		catch_up: record.catchUp,
		paused: record.paused,
		next_run_at: nextRunAt === null ? null : iso(nextRunAt),
		created_at: iso(record.createdAt),
		updated_at: iso(record.updatedAt),
		runs: {
			started: record.runsStarted,
			skipped: record.runsSkipped,
			failed: record.runsFailed,
			missed: record.runsMissed,
		},
	};
}

export function toRunView(run: ScheduleRun): ScheduleRunView {
	return {
		seq: run.seq,
		kind: run.kind,
		due_at: iso(run.dueAt),
		state: run.state,
		task_uuid: run.taskUuid,
		detail: run.detail,
		created_at: iso(run.createdAt),
		updated_at: iso(run.updatedAt),
	};
}
