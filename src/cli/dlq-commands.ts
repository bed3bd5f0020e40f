// The `dlq` commands: list entries, show a task's entry with its snapshot, record a resolution, and
// the per-reason stats. Investigation tracking only: to run a step again, use `tasker step reset`.
import type { DlqEntry, DlqList, DlqResolutionStatus, DlqStats } from "../client/client-types";
import type { CommandContext } from "./cli-client";
import { ExitCode } from "./exit-codes";
import { readJsonObjectArgument } from "./json-input";
import { cell, formatFields, formatTable } from "./table";
import { jsonLines, wireObject } from "./wire-json";

export interface ListDlqArgs {
	status?: DlqResolutionStatus;
	limit?: number;
	offset?: number;
}

export async function listDlq(ctx: CommandContext, args: ListDlqArgs): Promise<ExitCode> {
	const list = await ctx.client.listDlq({
		resolutionStatus: args.status,
		limit: args.limit,
		offset: args.offset,
	});
	print(ctx, ctx.json ? jsonLines(wireDlqList(list)) : renderDlqList(list));
	return ExitCode.ok;
}

export async function showDlq(ctx: CommandContext, taskUuid: string): Promise<ExitCode> {
	const entry = await ctx.client.getDlqEntry(taskUuid);
	print(ctx, ctx.json ? jsonLines(wireObject(entry)) : renderDlqEntry(entry));
	return ExitCode.ok;
}

export interface ResolveDlqArgs {
	entryUuid: string;
	status?: DlqResolutionStatus;
	notes?: string;
	by?: string;
	/** Inline JSON object or `@file`. */
	metadata?: string;
}

export async function resolveDlq(ctx: CommandContext, args: ResolveDlqArgs): Promise<ExitCode> {
	const metadata =
		args.metadata === undefined ? undefined : await readJsonObjectArgument("--metadata", args.metadata);
	const entry = await ctx.client.updateDlqEntry(args.entryUuid, {
		resolutionStatus: args.status,
		resolutionNotes: args.notes,
		resolvedBy: args.by,
		metadata,
	});
	print(ctx, ctx.json ? jsonLines(wireObject(entry)) : renderDlqEntry(entry));
	return ExitCode.ok;
}

export async function dlqStats(ctx: CommandContext): Promise<ExitCode> {
	const stats = await ctx.client.dlqStats();
	print(ctx, ctx.json ? jsonLines(wireDlqStats(stats)) : renderDlqStats(stats));
	return ExitCode.ok;
}

export function renderDlqList(list: DlqList): string[] {
	if (list.entries.length === 0) return [`no DLQ entries (of ${list.totalCount})`];
	const rows = list.entries.map((e) => [
		e.dlqEntryUuid,
		e.taskUuid,
		`${e.namespace}/${e.taskName}`,
		e.dlqReason,
		e.resolutionStatus,
		e.dlqTimestamp,
	]);
	const shown = `${list.offset + 1}-${list.offset + list.entries.length} of ${list.totalCount}`;
	return [...formatTable(["ENTRY", "TASK", "TEMPLATE", "REASON", "STATUS", "SINCE"], rows), shown];
}

export function renderDlqEntry(entry: DlqEntry): string[] {
	const snapshot = entry.taskSnapshot as { unfinished_steps?: Array<Record<string, unknown>> };
	const fields = formatFields([
		["dlq_entry_uuid", entry.dlqEntryUuid],
		["task_uuid", entry.taskUuid],
		["template", `${entry.namespace}/${entry.taskName}`],
		["reason", entry.dlqReason],
		["original_state", entry.originalState],
		["since", entry.dlqTimestamp],
		["resolution", entry.resolutionStatus],
		["resolved_by", cell(entry.resolvedBy)],
		["resolved_at", cell(entry.resolvedAt)],
		["notes", cell(entry.resolutionNotes)],
		["metadata", cell(entry.metadata)],
	]);
	const steps = snapshot.unfinished_steps ?? [];
	if (steps.length === 0) return fields;
	const rows = steps.map((s) => [
		cell(s.name),
		cell(s.state),
		cell(s.attempts),
		cell((s.last_error as { error_type?: string } | null)?.error_type),
	]);
	return [
		...fields,
		"",
		"unfinished steps when the entry was made:",
		...formatTable(["STEP", "STATE", "ATTEMPTS", "LAST ERROR"], rows),
	];
}

export function renderDlqStats(stats: DlqStats): string[] {
	const rows = stats.byReason.map((r) => [
		r.dlqReason,
		String(r.totalEntries),
		String(r.pending),
		String(r.manuallyResolved),
		String(r.permanentFailures),
		String(r.cancelled),
		cell(r.avgResolutionTimeMinutes),
		cell(r.oldestEntry),
	]);
	return [
		...formatTable(
			["REASON", "TOTAL", "PENDING", "RESOLVED", "FAILED", "CANCELLED", "AVG MIN", "OLDEST"],
			rows,
		),
		`${stats.totalEntries} entries, ${stats.pending} pending`,
	];
}

function wireDlqList(list: DlqList) {
	return {
		entries: list.entries.map(wireObject),
		total_count: list.totalCount,
		limit: list.limit,
		offset: list.offset,
	};
}

function wireDlqStats(stats: DlqStats) {
	return {
		total_entries: stats.totalEntries,
		pending: stats.pending,
		by_reason: stats.byReason.map(wireObject),
	};
}

function print(ctx: CommandContext, lines: readonly string[]): void {
	for (const line of lines) ctx.output.out(line);
}
