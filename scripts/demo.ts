// `npm run demo`: submits the seed's order to a local wrangler dev (or --url) and prints each step as it ends.
// Usage: tsx scripts/demo.ts [--url URL] [--keep]   (TASKER_URL works like --url)
import { parseArgs } from "node:util";
import type { StepView, TaskView } from "../src/core/task-views";
import { SEED_ORDER_STEPS, seedOrderRequest, verifySeedCharge } from "./lib/seed-order";
import { getJson, sleep, taskerApi, withInstance } from "./lib/tasker-http";

const USAGE = "usage: tsx scripts/demo.ts [--url URL] [--keep]   (or TASKER_URL=URL)";
const POLL_MS = 25;
const TIMEOUT_MS = 30_000;
const TERMINAL_TASK = new Set(["complete", "error", "cancelled"]);

// Colour only for a person at a terminal: piped into a file or CI log, escape codes are noise.
const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
const green = paint("32");
const red = paint("31");
const yellow = paint("33");
const dim = paint("2");

const NAME_WIDTH = Math.max(...SEED_ORDER_STEPS.map((name) => name.length)) + 2;

type Api = ReturnType<typeof taskerApi>;

async function main(): Promise<number> {
	let values: { url?: string; keep?: boolean };
	try {
		({ values } = parseArgs({
			options: { url: { type: "string" }, keep: { type: "boolean" } },
			strict: true,
			allowPositionals: false,
		}));
	} catch (error) {
		console.error(`${(error as Error).message}\n${USAGE}`);
		return 2;
	}
	const givenUrl = values.url ?? (process.env.TASKER_URL || undefined);
	try {
		return await withInstance(givenUrl, async (instance) => {
			console.log(`tasker-edge demo: ${instance.description}`);
			const code = await runOrder(taskerApi(instance.url));
			if (values.keep && instance.server) {
				console.log(
					`\nwrangler dev (pid ${instance.server.pid}) keeps serving ${instance.url}; Ctrl-C (or kill ${process.pid}) stops it.`,
				);
				await whileHealthy(instance.url);
				console.error("wrangler dev stopped answering");
			} else if (values.keep) {
				console.log("--keep: nothing to keep, this demo started no server");
			}
			return code;
		});
	} catch (error) {
		console.error(`demo failed: ${(error as Error).message}`);
		return 1;
	}
}

/** Submits the order and follows it to its end; the exit code: 0 when it completed with the right charge. */
async function runOrder(api: Api): Promise<number> {
	const submittedAt = performance.now();
	const task = await api.createTask(seedOrderRequest({ source_system: "tasker-edge-demo" }));
	console.log(`submitted ${task.name} task ${task.task_uuid} (${task.total_steps} steps)`);
	const shown = new Set<string>();
	for (;;) {
		const steps = await api.listSteps(task.task_uuid);
		printNewEvents(steps, task, shown);
		// The task row is read only once the steps say it may be over: half the requests while it runs.
		if (steps.every((step) => step.current_state === "complete") || steps.some(isFailed)) {
			const current = await api.getTask(task.task_uuid);
			if (TERMINAL_TASK.has(current.status)) {
				const clientMs = Math.round(performance.now() - submittedAt);
				return report(current, await api.listSteps(task.task_uuid), clientMs);
			}
		}
		if (performance.now() - submittedAt > TIMEOUT_MS) {
			const current = await api.getTask(task.task_uuid);
			console.log(red(`timed out after ${TIMEOUT_MS / 1000} s: task status ${current.status}`));
			for (const step of steps) console.log(`  ${step.name}: ${step.current_state}${errorText(step)}`);
			return 1;
		}
		await sleep(POLL_MS);
	}
}

const isFailed = (step: StepView) => step.current_state === "error" || step.current_state === "cancelled";

/**
 * Prints each step once when it completes or fails, and each failed attempt that will be retried. The +ms
 * are the server's (from the task's creation to the step's end): same clock, not rounded up to a poll.
 */
function printNewEvents(steps: StepView[], task: TaskView, shown: Set<string>): void {
	const events: Array<{ key: string; at: number; line: string }> = [];
	for (const step of steps) {
		const name = step.name.padEnd(NAME_WIDTH);
		if (step.current_state === "complete") {
			const at = msBetween(task.created_at, step.completed_at);
			const result = JSON.stringify(step.results?.result);
			events.push({ key: step.name, at, line: `  ${green("✓")} ${name}${offset(at)}  ${dim(result)}` });
		} else if (isFailed(step)) {
			const at = msBetween(task.created_at, step.last_failure_at ?? step.updated_at);
			const line = `  ${red("✗")} ${name}${offset(at)}  ${red(`${step.current_state}${errorText(step)}`)}`;
			events.push({ key: step.name, at, line });
		} else if (step.current_state === "waiting_for_retry") {
			const at = msBetween(task.created_at, step.last_failure_at);
			const attempt = `attempt ${step.attempts}/${step.max_attempts} failed, retrying`;
			const line = `  ${yellow("↻")} ${name}${offset(at)}  ${yellow(`${attempt}${errorText(step)}`)}`;
			events.push({ key: `${step.name}#${step.attempts}`, at, line });
		}
	}
	// Steps that ended between two polls are printed in the order they ended, not in template order.
	for (const event of events.filter((e) => !shown.has(e.key)).sort((a, b) => a.at - b.at)) {
		shown.add(event.key);
		console.log(event.line);
	}
}

function report(task: TaskView, steps: StepView[], clientMs: number): number {
	const serverMs = msBetween(task.created_at, task.completed_at ?? task.updated_at);
	const took = `in ${clientMs} ms (${serverMs} ms on the server)`;
	if (task.status !== "complete") {
		console.log(red(`task ${task.status} ${took}`));
		for (const step of steps.filter(isFailed)) {
			console.log(`  ${step.name} last_error: ${JSON.stringify(step.last_error)}`);
		}
		return 1;
	}
	try {
		const charge = verifySeedCharge(steps);
		console.log(
			green(`task complete ${took}: charged ${charge.amount} (transaction ${charge.transactionId})`),
		);
		return 0;
	} catch (error) {
		console.log(red(`task complete ${took}, but wrong: ${(error as Error).message}`));
		return 1;
	}
}

function errorText(step: StepView): string {
	const error = step.last_error;
	if (!error) return "";
	return `: ${error.name}${error.error_code ? ` [${error.error_code}]` : ""} ${error.message}`;
}

function msBetween(from: string | null, to: string | null): number {
	return from && to ? Date.parse(to) - Date.parse(from) : Number.NaN;
}

const offset = (ms: number) => `+${Number.isNaN(ms) ? "?" : ms} ms`.padStart(8);

async function whileHealthy(url: string): Promise<void> {
	for (;;) {
		await sleep(1000);
		try {
			await getJson(`${url}/health`);
		} catch {
			return;
		}
	}
}

process.exitCode = await main();
