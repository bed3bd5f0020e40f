// The stream subscribers in a Node process of their own (`npm run bench:stream`): the bench sends one JSON
// command a line on stdin and reads one answer a line on stdout.
//   {"open": id, "url": ws-url, "count": n}  → {"opened": id} once all n sockets are open
//   {"close": id}                            → {"closed": id, "report": SubscriberReport}
// Started once per bench run (SubscriberProcess below), so process start-up is never timed.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { StreamSubscribers, type SubscriberReport } from "./stream-subscribers";

type Command = { open: number; url: string; count: number } | { close: number };
type Answer =
	| { opened: number }
	| { closed: number; report: SubscriberReport }
	| { failed: number; error: string };

/** The bench's side: one child process, asked to open and close sets of subscribers. */
export class SubscriberProcess {
	private readonly child: ChildProcess;
	private readonly waiting = new Map<string, (answer: Answer) => void>();
	private nextId = 1;

	constructor() {
		// The tsx binary of the running process: the child loads this file's TypeScript the same way.
		this.child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child"], {
			stdio: ["pipe", "pipe", "inherit"],
		});
		const lines = createInterface({ input: this.child.stdout as NodeJS.ReadableStream });
		lines.on("line", (line) => {
			const answer = JSON.parse(line) as Answer;
			const key =
				"opened" in answer ? `open:${answer.opened}` : "closed" in answer ? `close:${answer.closed}` : null;
			const failedKey = "failed" in answer ? `open:${answer.failed}` : null;
			const resolve = this.waiting.get(key ?? failedKey ?? "");
			if (resolve) {
				this.waiting.delete(key ?? failedKey ?? "");
				resolve(answer);
			}
		});
	}

	/** Opens `count` sockets on `url` in the child; resolves with the id to close them by. */
	async open(url: string, count: number): Promise<number> {
		const id = this.nextId++;
		const answer = await this.ask(`open:${id}`, { open: id, url, count });
		if ("failed" in answer) throw new Error(answer.error);
		return id;
	}

	async close(id: number): Promise<SubscriberReport> {
		const answer = await this.ask(`close:${id}`, { close: id });
		if (!("report" in answer)) throw new Error(`subscribers ${id}: no report`);
		return answer.report;
	}

	stop(): void {
		this.child.stdin?.end();
		this.child.kill("SIGTERM");
	}

	private ask(key: string, command: Command): Promise<Answer> {
		return new Promise((resolve) => {
			this.waiting.set(key, resolve);
			this.child.stdin?.write(`${JSON.stringify(command)}\n`);
		});
	}
}

/** The child's side: runs the commands against StreamSubscribers. */
function serve(): void {
	const sets = new Map<number, StreamSubscribers>();
	const answer = (a: Answer) => process.stdout.write(`${JSON.stringify(a)}\n`);
	const lines = createInterface({ input: process.stdin });
	lines.on("line", (line) => {
		const command = JSON.parse(line) as Command;
		if ("open" in command) {
			const set = new StreamSubscribers(command.url, command.count);
			sets.set(command.open, set);
			set.open().then(
				() => answer({ opened: command.open }),
				(error: unknown) => answer({ failed: command.open, error: String(error) }),
			);
			return;
		}
		const set = sets.get(command.close);
		sets.delete(command.close);
		answer({
			closed: command.close,
			report: set?.close() ?? { snapshots: 0, updates: 0, updateCompletedSteps: [] },
		});
	});
	lines.on("close", () => process.exit(0));
}

if (process.argv.includes("--child")) serve();
