// The read-only insight commands: `analytics performance|bottlenecks`, `dlq queue|staleness`, and
// `config`. Tables for people; with --json, the server's wire shapes.
import type { CommandContext } from "./cli-client";
import { ExitCode } from "./exit-codes";
import { cell, formatFields, formatTable } from "./table";
import { jsonLines, wireObject } from "./wire-json";

function print(ctx: CommandContext, lines: readonly string[]): void {
	for (const line of lines) ctx.output.out(line);
}

export async function performance(ctx: CommandContext, args: { hours?: number }): Promise<ExitCode> {
	const p = await ctx.client.performanceMetrics({ hours: args.hours });
	if (ctx.json) {
		print(ctx, jsonLines(wireObject(p)));
		return ExitCode.ok;
	}
	const pct = (x: { p50: number | null; p95: number | null; p99: number | null }) =>
		`p50 ${cell(x.p50)} s, p95 ${cell(x.p95)} s, p99 ${cell(x.p99)} s`;
	print(
		ctx,
		formatFields([
			["window from", p.analysisPeriodStart],
			["tasks", `${p.totalTasks} in all, ${p.activeTasks} active`],
			["completed / failed", `${p.completedTasks} / ${p.failedTasks}`],
			["completion rate", `${p.completionRate}%`],
			["error rate", `${p.errorRate}%`],
			["task duration", `mean ${p.averageTaskDurationSeconds} s, ${pct(p.taskDurationPercentiles)}`],
			["step duration", `mean ${p.averageStepDurationSeconds} s, ${pct(p.stepDurationPercentiles)}`],
			["step attempts", `${p.stepExecutions}, error rate ${p.stepErrorRate}, retry rate ${p.stepRetryRate}`],
			["throughput", `${p.tasksPerHour} tasks/h, ${p.stepsPerHour} steps/h`],
			["health score", String(p.systemHealthScore)],
		]),
	);
	return ExitCode.ok;
}

export async function bottlenecks(
	ctx: CommandContext,
	args: { hours?: number; limit?: number; minExecutions?: number },
): Promise<ExitCode> {
	const b = await ctx.client.bottlenecks(args);
	if (ctx.json) {
		print(ctx, jsonLines(wireObject(b)));
		return ExitCode.ok;
	}
	print(ctx, ["Slowest steps"]);
	print(
		ctx,
		formatTable(
			["STEP", "MEAN S", "P95 S", "MAX S", "RUNS", "ERRORS", "ERROR RATE"],
			b.slowSteps.map((s) => [
				`${s.namespaceName}/${s.taskName}@${s.version}::${s.stepName}`,
				cell(s.averageDurationSeconds),
				cell(s.p95DurationSeconds),
				cell(s.maxDurationSeconds),
				cell(s.executionCount),
				cell(s.errorCount),
				cell(s.errorRate),
			]),
		),
	);
	print(ctx, ["", "Slowest templates"]);
	print(
		ctx,
		formatTable(
			["TEMPLATE", "MEAN S", "P95 S", "MAX S", "TASKS", "ERRORS"],
			b.slowTasks.map((t) => [
				`${t.namespaceName}/${t.taskName}@${t.version}`,
				cell(t.averageDurationSeconds),
				cell(t.p95DurationSeconds),
				cell(t.maxDurationSeconds),
				cell(t.executionCount),
				cell(t.errorCount),
			]),
		),
	);
	for (const r of b.recommendations) print(ctx, [`! ${r}`]);
	return ExitCode.ok;
}

export async function investigationQueue(ctx: CommandContext, args: { limit?: number }): Promise<ExitCode> {
	const queue = await ctx.client.investigationQueue(args);
	if (ctx.json) {
		print(ctx, jsonLines(queue.map((q) => wireObject(q))));
		return ExitCode.ok;
	}
	print(
		ctx,
		formatTable(
			["PRIORITY", "REASON", "TASK", "NAME", "THEN -> NOW", "MIN IN DLQ", "ENTRY"],
			queue.map((q) => [
				cell(q.priorityScore),
				q.dlqReason,
				q.taskUuid,
				`${cell(q.namespaceName)}/${cell(q.taskName)}`,
				`${q.originalState} -> ${cell(q.currentState)}`,
				cell(q.minutesInDlq),
				q.dlqEntryUuid,
			]),
		),
	);
	return ExitCode.ok;
}

export async function staleness(ctx: CommandContext, args: { limit?: number }): Promise<ExitCode> {
	const rows = await ctx.client.stalenessMonitoring(args);
	if (ctx.json) {
		print(ctx, jsonLines(rows.map((r) => wireObject(r))));
		return ExitCode.ok;
	}
	print(
		ctx,
		formatTable(
			["HEALTH", "TASK", "NAME", "STATUS", "MIN IN STATUS", "THRESHOLD", "AGE MIN"],
			rows.map((r) => [
				r.healthStatus,
				r.taskUuid,
				`${cell(r.namespaceName)}/${cell(r.taskName)}`,
				r.currentState,
				cell(r.timeInStateMinutes),
				cell(r.stalenessThresholdMinutes),
				cell(r.taskAgeMinutes),
			]),
		),
	);
	return ExitCode.ok;
}

export async function config(ctx: CommandContext): Promise<ExitCode> {
	const c = await ctx.client.config();
	// Nested and small: JSON reads best either way.
	print(ctx, jsonLines(wireObject(c)));
	return ExitCode.ok;
}
