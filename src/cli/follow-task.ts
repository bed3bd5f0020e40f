// `--wait`: reads the task with a held `waitSeconds` read until it has finished, showing its progress.
import type { Task } from "../client/client-types";
import type { CliClient } from "./cli-client";
import type { Output } from "./output";
import { progressLine } from "./render-task";

const FINISHED: ReadonlySet<string> = new Set(["complete", "error", "cancelled"]);

export interface FollowOptions {
	/** How long each read is held: short, so that the progress line moves while the task runs. */
	waitSeconds?: number;
	/** The least time between two reads, should a server answer at once without holding. */
	minIntervalMs?: number;
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
	let shown = "";
	for (;;) {
		const started = Date.now();
		const task = await client.getTask(taskUuid, { waitSeconds });
		const line = progressLine(task);
		if (line !== shown) output.progress(line);
		shown = line;
		if (isFinished(task)) return task;
		const pause = minIntervalMs - (Date.now() - started);
		if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
	}
}
