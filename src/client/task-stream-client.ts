// Follows a task over its live stream (GET /v1/tasks/{uuid}/stream, a WebSocket): one connection, the
// task pushed on every change, no repeated requests. Runs wherever a standard `WebSocket` exists
// (browsers, Workers, Node 22); without one, or when the connection fails before its first message,
// it rejects with StreamUnavailableError so that the caller can fall back to reading the task.

export class StreamUnavailableError extends Error {
	constructor(message: string) {
		super(message);
		this.name = "StreamUnavailableError";
	}
}

/** The stream's `timeoutMs` ran out: `lastTask` is the last task it carried, if any. */
export class StreamTimeoutError extends Error {
	readonly lastTask: unknown;
	constructor(timeoutMs: number, lastTask: unknown) {
		super(`the task did not get there within ${timeoutMs} ms`);
		this.name = "StreamTimeoutError";
		this.lastTask = lastTask;
	}
}

export interface StreamCredentials {
	apiKey?: string;
	bearerToken?: string;
}

export interface FollowStreamOptions<T> {
	/** Called with each task the stream carries (the snapshot's, then each update's). */
	onTask?: (task: T) => void;
	/** Resolve with the first task for which this holds. */
	until: (task: T) => boolean;
	/** Give up after this long: rejects with the last task seen (`lastTask`) on the error. */
	timeoutMs?: number;
}

type SocketLike = {
	addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
	addEventListener(type: "error", listener: () => void): void;
	addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
	close(code?: number, reason?: string): void;
};

export function streamUrl(baseUrl: string, taskUuid: string, credentials: StreamCredentials): string {
	const url = new URL(`${baseUrl}/v1/tasks/${encodeURIComponent(taskUuid)}/stream`);
	url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
	url.searchParams.set("view", "task");
	// A WebSocket carries no custom headers in browsers: the route takes the credentials in the query.
	if (credentials.apiKey !== undefined) url.searchParams.set("api_key", credentials.apiKey);
	if (credentials.bearerToken !== undefined) url.searchParams.set("access_token", credentials.bearerToken);
	return url.toString();
}

export function followTaskStream<T>(url: string, options: FollowStreamOptions<T>): Promise<T> {
	const Socket = (globalThis as unknown as { WebSocket?: new (url: string) => SocketLike }).WebSocket;
	if (!Socket) return Promise.reject(new StreamUnavailableError("no WebSocket in this runtime"));
	return new Promise<T>((resolve, reject) => {
		let socket: SocketLike;
		try {
			socket = new Socket(url);
		} catch (error) {
			reject(new StreamUnavailableError(`cannot open the stream: ${String(error)}`));
			return;
		}
		let last: T | undefined;
		let settled = false;
		const timeoutMs = options.timeoutMs;
		const timer =
			timeoutMs === undefined
				? undefined
				: setTimeout(() => finish(() => reject(new StreamTimeoutError(timeoutMs, last))), timeoutMs);
		const finish = (settle: () => void) => {
			if (settled) return;
			settled = true;
			if (timer !== undefined) clearTimeout(timer);
			try {
				socket.close(1000, "done");
			} catch {
				// Already closed.
			}
			settle();
		};
		socket.addEventListener("message", (event) => {
			const message = JSON.parse(String(event.data)) as { task?: T };
			if (!message.task) return;
			last = message.task;
			options.onTask?.(message.task);
			if (options.until(message.task)) finish(() => resolve(message.task as T));
		});
		const lost = (why: string) =>
			finish(() =>
				reject(
					last === undefined
						? new StreamUnavailableError(`the stream failed before its first message: ${why}`)
						: Object.assign(new StreamUnavailableError(`the stream closed: ${why}`), { lastTask: last }),
				),
			);
		socket.addEventListener("error", () => lost("connection error"));
		socket.addEventListener("close", (event) =>
			lost(`closed (${event.code}${event.reason ? ` ${event.reason}` : ""})`),
		);
	});
}
