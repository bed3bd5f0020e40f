// The `step` commands: an operator's reset, resolve or manual completion of one step.
import type { Step } from "../client/client-types";
import type { CommandContext } from "./cli-client";
import { ExitCode } from "./exit-codes";
import { readJsonArgument } from "./json-input";
import { renderStep } from "./render-task";
import { jsonLines, wireObject } from "./wire-json";

export interface StepActionArgs {
	taskUuid: string;
	stepUuid: string;
	reason: string;
	by: string;
}

export async function resetStep(ctx: CommandContext, args: StepActionArgs): Promise<ExitCode> {
	const step = await ctx.client.resetStep(args.taskUuid, args.stepUuid, {
		reason: args.reason,
		resetBy: args.by,
	});
	return printStep(ctx, step);
}

export async function resolveStep(ctx: CommandContext, args: StepActionArgs): Promise<ExitCode> {
	const step = await ctx.client.resolveStep(args.taskUuid, args.stepUuid, {
		reason: args.reason,
		resolvedBy: args.by,
	});
	return printStep(ctx, step);
}

export async function completeStep(
	ctx: CommandContext,
	args: StepActionArgs & { result: string },
): Promise<ExitCode> {
	const result = await readJsonArgument("--result", args.result);
	const step = await ctx.client.completeStep(args.taskUuid, args.stepUuid, {
		result,
		reason: args.reason,
		completedBy: args.by,
	});
	return printStep(ctx, step);
}

function printStep(ctx: CommandContext, step: Step): ExitCode {
	for (const line of ctx.json ? jsonLines(wireObject(step)) : renderStep(step)) ctx.output.out(line);
	return ExitCode.ok;
}
