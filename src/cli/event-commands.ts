// `tasker task signal`: sends an event to a task, for its step waiting for it (wait_for_event).
import type { CommandContext } from "./cli-client";
import { ExitCode } from "./exit-codes";
import { readJsonArgument } from "./json-input";
import { formatFields } from "./table";
import { jsonLines, wireObject } from "./wire-json";

export interface SignalArgs {
	taskUuid: string;
	name: string;
	/** Inline JSON or `@file`. */
	payload?: string;
	eventId?: string;
}

export async function signalTask(ctx: CommandContext, args: SignalArgs): Promise<ExitCode> {
	const payload = args.payload === undefined ? null : await readJsonArgument("--payload", args.payload);
	const receipt = await ctx.client.sendEvent(args.taskUuid, args.name, { payload, eventId: args.eventId });
	const lines = ctx.json
		? jsonLines(wireObject(receipt))
		: formatFields([
				["status", receipt.status],
				["step", receipt.stepName ?? receipt.stepUuid ?? "-"],
				["task_status", receipt.taskStatus ?? "-"],
			]);
	for (const line of lines) ctx.output.out(line);
	return ExitCode.ok;
}
