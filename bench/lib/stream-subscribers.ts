// Subscribers of a task's live stream for `npm run bench:stream`: N WebSockets on one task, each counting
// what it receives (snapshots, updates) and how far the task was when each update was built. The same class runs in the bench's own process or
// in a child process of its own (subscriber-process.ts), so that the timing loop and the sockets need
// not share one Node event loop.

export interface SubscriberReport {
	snapshots: number;
	updates: number;
	/**
	 * Each update's `task.completed_steps` as the object built it (not when it arrived, which the local
	 * proxy may delay): an update built between the first step completing and the last carries fewer
	 * than all of them.
	 */
	updateCompletedSteps: number[];
}

export class StreamSubscribers {
	private readonly sockets: WebSocket[];
	private readonly report: SubscriberReport = { snapshots: 0, updates: 0, updateCompletedSteps: [] };
	private readonly opened: Promise<void>;

	constructor(url: string, count: number) {
		this.sockets = Array.from({ length: count }, () => new WebSocket(url));
		this.opened = Promise.all(
			this.sockets.map(
				(socket) =>
					new Promise<void>((resolve, reject) => {
						socket.addEventListener("open", () => resolve(), { once: true });
						socket.addEventListener("error", () => reject(new Error(`stream ${url}: socket error`)), {
							once: true,
						});
					}),
			),
		).then(() => undefined);
		for (const socket of this.sockets) {
			socket.addEventListener("message", (event) => {
				// The type is the message's first field: snapshots (the big ones) are counted, not parsed.
				const text = String(event.data);
				if (text.startsWith('{"type":"update"')) {
					const update = JSON.parse(text) as { task?: { completed_steps?: number } };
					this.report.updates += 1;
					this.report.updateCompletedSteps.push(update.task?.completed_steps ?? -1);
				} else {
					this.report.snapshots += 1;
				}
			});
		}
	}

	/** Resolves once every socket is open (the 101 came back); each snapshot follows on its own socket. */
	open(): Promise<void> {
		return this.opened;
	}

	close(): SubscriberReport {
		for (const socket of this.sockets) socket.close(1000, "done");
		return this.report;
	}
}
