// `--wait`: reads the task with a held `waitSeconds` read until it has finished, showing its progress.
import type { Task } from "../client/client-types";
import type { CliClient } from "./cli-client";
import { CliError, ExitCode } from "./exit-codes";
import type { Output } from "./output";
import { progressLine } from "./render-task";

const FINISHED: ReadonlySet<string> = new Set(["complete", "error", "cancelled"]);

export interface FollowOptions {
	/** How long each read is held: short, so that the progress line moves while the task runs. */
	waitSeconds?: number;
	/** The least time between two reads, should a server answer at once without holding. */
	minIntervalMs?: number;
	/** Give up after this long (exit 6), leaving the task running; no limit when absent. */
	timeoutMs?: number;
}

export function isFinished(task: Task): boolean {
	return FINISHED.has(task.status);
}

/** The finished task; a progress line (steps done / total, status) each time it changes. */
export async function followTask(
	client: Pick<CliClient, "getTask">,
	taskUuid: string,
	output: Output,
	options: FollowOptions = {},
): Promise<Task> {
	const waitSeconds = options.waitSeconds ?? 2;
	const minIntervalMs = options.minIntervalMs ?? 100;
	const deadline =
		options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
	let shown = "";
	for (;;) {
		const started = Date.now();
		// A read is never held past the deadline.
		const held = Math.min(waitSeconds, Math.max(0, deadline - started) / 1_000);
		const task = await client.getTask(taskUuid, { waitSeconds: Math.round(held * 1_000) / 1_000 });
		const line = progressLine(task);
		if (line !== shown) output.progress(line);
		shown = line;
		if (isFinished(task)) return task;
		if (Date.now() >= deadline) {
			throw new CliError(
				ExitCode.waitTimedOut,
				`task ${taskUuid} is still ${task.status} after ${(options.timeoutMs ?? 0) / 1_000} s; it goes on running (tasker task wait ${taskUuid})`,
			);
		}
		const pause = Math.min(minIntervalMs - (Date.now() - started), deadline - Date.now());
		if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
	}
}
