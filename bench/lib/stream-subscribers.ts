// Subscribers of a task's live stream for `npm run bench:stream`: N WebSockets on one task, each counting
// what it receives (snapshots, updates) and when each update arrived (this machine's wall clock, so that
// it can be set against the task's transition times). The same class runs in the bench's own process or
// in a child process of its own (subscriber-process.ts), so that the timing loop and the sockets need
// not share one Node event loop.

export interface SubscriberReport {
	snapshots: number;
	updates: number;
	/** Date.now() as each update arrived, on any socket. */
	updateArrivals: number[];
}

export class StreamSubscribers {
	private readonly sockets: WebSocket[];
	private readonly report: SubscriberReport = { snapshots: 0, updates: 0, updateArrivals: [] };
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
				// The type is the message's first field: no need to parse the whole of it to tell.
				if (String(event.data).startsWith('{"type":"update"')) {
					this.report.updates += 1;
					this.report.updateArrivals.push(Date.now());
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
