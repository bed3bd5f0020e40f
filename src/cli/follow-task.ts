// `--wait` and `task wait`: follow the task until it has finished, showing its progress: over its live
// stream (one WebSocket, the task pushed on each change), or, where the stream cannot be had, by
// reading it with held `waitSeconds` reads.
import type { Task } from "../client/client-types";
import { StreamTimeoutError } from "../client/task-stream-client";
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
	/** The command that waits again, named when the timeout runs out (default `tasker task wait <uuid>`). */
	waitAgain?: string;
}

export function isFinished(task: Task): boolean {
	return FINISHED.has(task.status);
}

/** The finished task; a progress line (steps done / total, status) each time it changes. */
export async function followTask(
	client: Pick<CliClient, "getTask"> & Partial<Pick<CliClient, "followTask">>,
	taskUuid: string,
	output: Output,
	options: FollowOptions = {},
): Promise<Task> {
	const started = Date.now();
	let shown = "";
	const show = (task: Task) => {
		const line = progressLine(task);
		if (line !== shown) output.progress(line);
		shown = line;
	};
	if (client.followTask) {
		try {
			return await client.followTask(taskUuid, { onTask: show, timeoutMs: options.timeoutMs });
		} catch (error) {
			if (error instanceof StreamTimeoutError) {
				const status = (error.lastTask as { status?: string } | undefined)?.status ?? "unfinished";
				throw timedOut(taskUuid, status, options.timeoutMs, options.waitAgain);
			}
			// No stream (an older server, a proxy without WebSockets, no WebSocket here): read the task instead.
		}
	}
	const left =
		options.timeoutMs === undefined ? undefined : Math.max(0, options.timeoutMs - (Date.now() - started));
	return pollTask(client, taskUuid, show, {
		...options,
		timeoutMs: left,
		reportedTimeoutMs: options.timeoutMs,
	});
}

function timedOut(
	taskUuid: string,
	status: string,
	timeoutMs: number | undefined,
	waitAgain = `tasker task wait ${taskUuid}`,
): CliError {
	return new CliError(
		ExitCode.waitTimedOut,
		`task ${taskUuid} is still ${status} after ${(timeoutMs ?? 0) / 1_000} s; it goes on running (${waitAgain})`,
	);
}

async function pollTask(
	client: Pick<CliClient, "getTask">,
	taskUuid: string,
	show: (task: Task) => void,
	options: FollowOptions & { reportedTimeoutMs?: number },
): Promise<Task> {
	const waitSeconds = options.waitSeconds ?? 2;
	const minIntervalMs = options.minIntervalMs ?? 100;
	const deadline =
		options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
	for (;;) {
		const started = Date.now();
		// A read is never held past the deadline.
		const held = Math.min(waitSeconds, Math.max(0, deadline - started) / 1_000);
		const task = await client.getTask(taskUuid, { waitSeconds: Math.round(held * 1_000) / 1_000 });
		show(task);
		if (isFinished(task)) return task;
		if (Date.now() >= deadline)
			throw timedOut(taskUuid, task.status, options.reportedTimeoutMs, options.waitAgain);
		const pause = Math.min(minIntervalMs - (Date.now() - started), deadline - Date.now());
		if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
	}
}
