// The `task` commands: each takes the client, its parsed arguments and an output sink, and returns the exit code.
import type { Task } from "../client/client-types";
import type { CommandContext } from "./cli-client";
import { CliError, ExitCode } from "./exit-codes";
import { type FollowOptions, followTask } from "./follow-task";
import { readJsonObjectArgument } from "./json-input";
import { renderSteps, renderTask, renderTaskList, renderTransitions } from "./render-task";
import { jsonLines, wireObject, wireTaskList } from "./wire-json";

export interface CreateTaskArgs {
	name: string;
	/** Inline JSON or `@file`. */
	context: string;
	initiator: string;
	sourceSystem: string;
	reason: string;
	namespace?: string;
	version?: string;
	idempotencyKey?: string;
	wait?: boolean;
	/** With `wait`: seconds to follow the task before giving up (exit 6). */
	timeout?: number;
}

export async function createTask(ctx: CommandContext, args: CreateTaskArgs): Promise<ExitCode> {
	// Said before anything is submitted: a --timeout that bounds nothing would be silently ignored.
	if (args.timeout !== undefined && !args.wait) {
		throw new CliError(
			ExitCode.usage,
			"--timeout: only with --wait (it bounds how long the task is followed)",
		);
	}
	const context = await readJsonObjectArgument("--context", args.context);
	const created = await ctx.client.createTask(args.name, {
		context,
		initiator: args.initiator,
		sourceSystem: args.sourceSystem,
		reason: args.reason,
		namespace: args.namespace,
		version: args.version,
		idempotencyKey: args.idempotencyKey,
	});
	if (!args.wait) {
		printTask(ctx, created);
		return ExitCode.ok;
	}
	return finish(
		ctx,
		await followTask(
			ctx.client,
			created.taskUuid,
			ctx.output,
			followOptions(ctx, created.taskUuid, args.timeout),
		),
	);
}

/** Follows an existing task until it has finished, like `create --wait`. */
export async function waitForTask(
	ctx: CommandContext,
	taskUuid: string,
	timeout?: number,
): Promise<ExitCode> {
	return finish(
		ctx,
		await followTask(ctx.client, taskUuid, ctx.output, followOptions(ctx, taskUuid, timeout)),
	);
}

/** The timeout, and the command that waits again (with the `--url` given, so that it reaches the same server). */
function followOptions(ctx: CommandContext, taskUuid: string, seconds: number | undefined): FollowOptions {
	const url = ctx.urlGiven === undefined ? "" : ` --url ${ctx.urlGiven}`;
	return {
		...(seconds === undefined ? {} : { timeoutMs: seconds * 1_000 }),
		waitAgain: `tasker${url} task wait ${taskUuid}`,
	};
}

/** A finished task, its steps for a person, and exit 4 unless it completed. */
async function finish(ctx: CommandContext, task: Task): Promise<ExitCode> {
	if (ctx.json) {
		print(ctx, jsonLines(wireObject(task)));
	} else {
		print(ctx, renderTask(task));
		ctx.output.out("");
		print(ctx, renderSteps(await ctx.client.listTaskSteps(task.taskUuid)));
	}
	if (task.status === "complete") return ExitCode.ok;
	ctx.output.err(`task ${task.taskUuid} ended ${task.status}`);
	return ExitCode.taskFailed;
}

export async function getTask(ctx: CommandContext, taskUuid: string): Promise<ExitCode> {
	printTask(ctx, await ctx.client.getTask(taskUuid));
	return ExitCode.ok;
}

export interface ListTasksArgs {
	namespace?: string;
	status?: string;
	initiator?: string;
	sourceSystem?: string;
	page?: number;
	perPage?: number;
}

export async function listTasks(ctx: CommandContext, args: ListTasksArgs): Promise<ExitCode> {
	const list = await ctx.client.listTasks(args);
	if (ctx.json) {
		print(ctx, jsonLines(wireTaskList(list)));
		return ExitCode.ok;
	}
	const p = list.pagination;
	print(ctx, renderTaskList(list.tasks));
	ctx.output.out(`page ${p.page} of ${Math.max(1, p.totalPages)}, ${p.totalCount} task(s)`);
	return ExitCode.ok;
}

export async function cancelTask(ctx: CommandContext, taskUuid: string): Promise<ExitCode> {
	printTask(ctx, await ctx.client.cancelTask(taskUuid));
	return ExitCode.ok;
}

export async function taskSteps(ctx: CommandContext, taskUuid: string): Promise<ExitCode> {
	const steps = await ctx.client.listTaskSteps(taskUuid);
	print(ctx, ctx.json ? jsonLines(steps.map(wireObject)) : renderSteps(steps));
	return ExitCode.ok;
}

export async function taskAudit(ctx: CommandContext, taskUuid: string, stepUuid?: string): Promise<ExitCode> {
	const transitions =
		stepUuid === undefined
			? await ctx.client.getTaskAudit(taskUuid)
			: await ctx.client.getStepAudit(taskUuid, stepUuid);
	print(ctx, ctx.json ? jsonLines(transitions.map(wireObject)) : renderTransitions(transitions));
	return ExitCode.ok;
}

/** One line per domain event for a person (time, delivery, name, step, id); JSON lines as sent with --json. */
export async function taskEvents(ctx: CommandContext, taskUuid: string): Promise<ExitCode> {
	const events = await ctx.client.getTaskEvents(taskUuid);
	if (ctx.json) {
		print(ctx, jsonLines(events.map(wireObject)));
		return ExitCode.ok;
	}
	if (events.length === 0) ctx.output.out("no domain events");
	for (const { event, delivery } of events) {
		ctx.output.out(
			`${delivery.recorded_at}  ${delivery.status.padEnd(7)}  ${event.event_name}  step ${event.metadata.step_name}  ${event.event_id}`,
		);
	}
	return ExitCode.ok;
}

function printTask(ctx: CommandContext, task: Task): void {
	print(ctx, ctx.json ? jsonLines(wireObject(task)) : renderTask(task));
}

function print(ctx: CommandContext, lines: readonly string[]): void {
	for (const line of lines) ctx.output.out(line);
}
