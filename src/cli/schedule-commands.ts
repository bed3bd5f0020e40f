// The `schedule` commands: list, show (next due times and last runs), create, pause, resume, trigger
// and delete a schedule.
import type {
	CreateScheduleOptions,
	Schedule,
	ScheduleDetail,
	ScheduleList,
	ScheduleRun,
} from "../client/schedule-types";
import type { CommandContext } from "./cli-client";
import { ExitCode } from "./exit-codes";
import { readJsonObjectArgument } from "./json-input";
import { cell, formatFields, formatTable } from "./table";
import { jsonLines, wireObject } from "./wire-json";

type Overlap = "skip" | "allow" | "cancel_previous";
type CatchUp = "none" | "latest" | "all";

export interface ListSchedulesArgs {
	namespace?: string;
	page?: number;
	perPage?: number;
}

export async function listSchedules(ctx: CommandContext, args: ListSchedulesArgs): Promise<ExitCode> {
	const list = await ctx.client.listSchedules(args);
	const wire = { schedules: list.schedules.map(wireObject), pagination: wireObject(list.pagination) };
	print(ctx, ctx.json ? jsonLines(wire) : renderScheduleList(list));
	return ExitCode.ok;
}

export async function showSchedule(ctx: CommandContext, scheduleId: string): Promise<ExitCode> {
	const detail = await ctx.client.getSchedule(scheduleId);
	const wire = { ...wireObject(detail), last_runs: detail.lastRuns.map(wireObject) };
	print(ctx, ctx.json ? jsonLines(wire) : renderScheduleDetail(detail));
	return ExitCode.ok;
}

export interface CreateScheduleArgs {
	name: string;
	cron: string;
	namespace?: string;
	version?: string;
	timezone?: string;
	/** Inline JSON object or `@file`. */
	context?: string;
	overlap?: Overlap;
	catchUp?: CatchUp;
	paused?: boolean;
}

export async function createSchedule(ctx: CommandContext, args: CreateScheduleArgs): Promise<ExitCode> {
	const context =
		args.context === undefined ? undefined : await readJsonObjectArgument("--context", args.context);
	const options: CreateScheduleOptions = {
		name: args.name,
		cron: args.cron,
		namespace: args.namespace,
		version: args.version,
		timezone: args.timezone,
		context,
		overlap: args.overlap,
		catchUp: args.catchUp,
		paused: args.paused,
	};
	printSchedule(ctx, await ctx.client.createSchedule(options));
	return ExitCode.ok;
}

export async function pauseSchedule(ctx: CommandContext, scheduleId: string): Promise<ExitCode> {
	printSchedule(ctx, await ctx.client.pauseSchedule(scheduleId));
	return ExitCode.ok;
}

export async function resumeSchedule(ctx: CommandContext, scheduleId: string): Promise<ExitCode> {
	printSchedule(ctx, await ctx.client.resumeSchedule(scheduleId));
	return ExitCode.ok;
}

export async function deleteSchedule(ctx: CommandContext, scheduleId: string): Promise<ExitCode> {
	printSchedule(ctx, await ctx.client.deleteSchedule(scheduleId));
	return ExitCode.ok;
}

export async function triggerSchedule(
	ctx: CommandContext,
	scheduleId: string,
	overlap: Overlap | undefined,
): Promise<ExitCode> {
	const run = await ctx.client.triggerSchedule(scheduleId, overlap === undefined ? {} : { overlap });
	print(ctx, ctx.json ? jsonLines(wireObject(run)) : renderRun(run));
	return ExitCode.ok;
}

/** `schedule sync`: one line per template schedule the sync looked at; exit 1 (apiError) if any could not be applied. */
export async function syncSchedules(ctx: CommandContext): Promise<ExitCode> {
	const sync = await ctx.client.syncSchedules();
	if (ctx.json) {
		print(ctx, jsonLines(wireObject(sync)));
	} else {
		const outcomes = ["created", "updated", "unchanged", "paused", "removed", "failed"] as const;
		const rows = outcomes.flatMap((outcome) =>
			sync[outcome].map((s) => [
				outcome,
				s.scheduleId,
				`${s.namespace}/${s.name}`,
				s.schedule ?? "-",
				"error" in s ? String(s.error) : "",
			]),
		);
		print(
			ctx,
			rows.length === 0
				? ["no template declares a schedule"]
				: formatTable(["SYNC", "SCHEDULE", "TEMPLATE", "NAME", "ERROR"], rows),
		);
	}
	return sync.failed.length === 0 ? ExitCode.ok : ExitCode.apiError;
}

export function renderScheduleList(list: ScheduleList): string[] {
	if (list.schedules.length === 0) return [`no schedules (of ${list.pagination.totalCount})`];
	const rows = list.schedules.map((s) => [
		s.scheduleId,
		`${s.namespace}/${s.name}`,
		`${s.cron} ${s.timezone}`,
		s.paused ? "paused" : cell(s.nextRunAt),
		s.overlap,
		String(s.runs.started),
	]);
	const { page, totalPages, totalCount } = list.pagination;
	return [
		...formatTable(["SCHEDULE", "TEMPLATE", "CRON", "NEXT RUN", "OVERLAP", "RUNS"], rows),
		`page ${page} of ${Math.max(totalPages, 1)} (${totalCount} schedules)`,
	];
}

export function renderSchedule(schedule: Schedule): string[] {
	return formatFields([
		["schedule_id", schedule.scheduleId],
		["template", `${schedule.namespace}/${schedule.name}${schedule.version ? `@${schedule.version}` : ""}`],
		["cron", `${schedule.cron} (${schedule.timezone})`],
		["paused", String(schedule.paused)],
		["next_run_at", cell(schedule.nextRunAt)],
		["overlap", schedule.overlap],
		["catch_up", schedule.catchUp],
		[
			"runs",
			`${schedule.runs.started} started, ${schedule.runs.skipped} skipped, ${schedule.runs.failed} failed, ${schedule.runs.missed} missed`,
		],
	]);
}

export function renderScheduleDetail(detail: ScheduleDetail): string[] {
	const runs = detail.lastRuns.map((run) => [
		String(run.seq),
		run.kind,
		run.dueAt,
		run.state,
		cell(run.taskUuid),
		cell(run.taskStatus),
	]);
	return [
		...renderSchedule(detail),
		"",
		"next runs:",
		...(detail.nextRuns.length === 0 ? ["  (none)"] : detail.nextRuns.map((at) => `  ${at}`)),
		"",
		...(runs.length === 0
			? ["no runs yet"]
			: formatTable(["RUN", "KIND", "DUE", "STATE", "TASK", "TASK STATUS"], runs)),
	];
}

function renderRun(run: ScheduleRun): string[] {
	return formatFields([
		["run", String(run.seq)],
		["state", run.state],
		["due_at", run.dueAt],
		["task_uuid", cell(run.taskUuid)],
		...(run.detail ? ([["detail", run.detail]] as const) : []),
	]);
}

function printSchedule(ctx: CommandContext, schedule: Schedule): void {
	print(ctx, ctx.json ? jsonLines(wireObject(schedule)) : renderSchedule(schedule));
}

function print(ctx: CommandContext, lines: readonly string[]): void {
	for (const line of lines) ctx.output.out(line);
}
