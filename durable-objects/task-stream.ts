// The task's live stream (GET /v1/tasks/{uuid}/stream): WebSocket subscribers held by the task object
// through the hibernation API, so that a watcher never keeps the object awake (an idle object with open
// sockets is evicted from memory; the sockets stay open and a later event wakes it).
//
// Protocol, one JSON text message each:
// - on connect, `snapshot`: `seq` (the task's transition counter), the task, and for the `full` and
//   `graph` views its steps and its whole transition log;
// - after each change, `update`: the new `seq`, the task, and for `full` and `graph` the steps that moved
//   and the new transitions (numbered by `transition_id`, so a client can spot a gap and resubscribe).
// `graph` is `full` slimmed to what a task page paints (task-stream-views.ts): the dashboard's view.
// The client sends nothing; a text `ping` is answered `pong` by the platform without waking the object.
// After each engine operation the object calls `broadcast()`; with no subscriber it returns at once,
// without reading anything, so the dispatch path is what it was. With subscribers, the update is built
// off the engine's path: after the operation has answered, once the object is quiet, from the transition
// log's new entries (every socket keeps the `seq` it was last sent).
import type { TaskRecord } from "../src/core/task-records";
import { toStepView, toTaskView, toTransitionView } from "../src/core/task-views";
import { logEvent } from "../src/observability/log-event";
import { QuietWindow } from "./quiet-window";
import type { SqliteTaskStore } from "./sqlite-task-store";
import { toGraphStep, toGraphTransition } from "./task-stream-views";

export type StreamView = "full" | "graph" | "task";

/** An update goes once the object has had no change for this long… */
const QUIET_MS = 10;
/** …or this long after the first change it carries, whichever comes first: a busy task still streams. */
const MAX_DELAY_MS = 100;

interface Attachment {
	/** The last `seq` this socket was sent. */
	seq: number;
	view: StreamView;
}

export class TaskStream {
	private readonly ctx: DurableObjectState;
	private readonly store: SqliteTaskStore;
	/** Whether any socket is open: read once when the object (re)starts, then kept up to date. */
	private live: boolean;
	/** When the next update goes: once the object is quiet (see quiet-window.ts). */
	private readonly window: QuietWindow;

	constructor(ctx: DurableObjectState, store: SqliteTaskStore) {
		this.ctx = ctx;
		this.store = store;
		this.live = ctx.getWebSockets().length > 0;
		const clock = { now: Date.now, after: (ms: number, fire: () => void) => void setTimeout(fire, ms) };
		this.window = new QuietWindow(QUIET_MS, MAX_DELAY_MS, clock, () => this.sendAll());
		// Answered by the runtime itself, without waking a hibernated object: a keepalive for proxies.
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
	}

	/** Accepts a WebSocket upgrade and sends the snapshot; `null` when there is no task in this object. */
	accept(view: StreamView): Response | null {
		const task = this.store.loadTask();
		if (!task) return null;
		const pair = new WebSocketPair();
		const [client, server] = [pair[0], pair[1]];
		// acceptWebSocket, never server.accept(): the latter pins the object in memory for the connection.
		this.ctx.acceptWebSocket(server, [view]);
		server.serializeAttachment({ seq: task.transitionSeq, view } satisfies Attachment);
		server.send(JSON.stringify(this.snapshot(task, view)));
		this.live = true;
		return new Response(null, { status: 101, webSocket: client });
	}

	/**
	 * After each saved change: sends every subscriber what moved since it was last sent. Never throws.
	 * Not at once: once the object has been quiet for QUIET_MS (at most MAX_DELAY_MS after the first
	 * change waiting), so that a run of operations (a step's claim, its report, the next step's claim)
	 * goes through untouched and its subscribers get one update carrying all of it. On the operation's
	 * path this notes the change (one timer for a whole update): nothing is read, built or sent there.
	 */
	broadcast(): void {
		if (this.live) this.window.change();
	}

	private sendAll(): void {
		try {
			this.sendUpdates();
		} catch (error) {
			// A watcher must never fail the engine operation it watches.
			logEvent("stream.broadcast_failed", { error: String(error) });
		}
	}

	private sendUpdates(): void {
		const sockets = this.ctx.getWebSockets();
		if (sockets.length === 0) {
			this.live = false;
			return;
		}
		const task = this.store.loadTask();
		if (!task) return;
		const messages = new Map<string, string>();
		for (const socket of sockets) {
			const seen = socket.deserializeAttachment() as Attachment | null;
			if (!seen || seen.seq >= task.transitionSeq) continue;
			const key = `${seen.view}:${seen.seq}`;
			let message = messages.get(key);
			if (message === undefined) {
				message = JSON.stringify(this.update(task, seen.view, seen.seq));
				messages.set(key, message);
			}
			try {
				socket.send(message);
				socket.serializeAttachment({ seq: task.transitionSeq, view: seen.view } satisfies Attachment);
			} catch {
				// A socket closing under us: its close event tidies up.
			}
		}
	}

	/** A socket closed: the next broadcast finds out whether any is left. */
	closed(socket: WebSocket): void {
		try {
			socket.close(1000, "closed");
		} catch {
			// Already closed.
		}
	}

	private snapshot(task: TaskRecord, view: StreamView) {
		const base = { type: "snapshot" as const, seq: task.transitionSeq, task: toTaskView(task) };
		if (view === "task") return base;
		const steps = this.store.listSteps();
		const transitions = this.store.transitionsBetween(0, task.transitionSeq).sort((a, b) => a.seq - b.seq);
		if (view === "graph") {
			return {
				...base,
				steps: steps.map((step) => toGraphStep(task, step)),
				transitions: transitions.map(toGraphTransition),
			};
		}
		return {
			...base,
			steps: steps.map((step) => toStepView(task, step)),
			transitions: transitions.map((t) => toTransitionView(task, t)),
		};
	}

	/** What moved since `since`, read from the transition log: its new entries and the steps they name. */
	private update(task: TaskRecord, view: StreamView, since: number) {
		const base = { type: "update" as const, seq: task.transitionSeq, since, task: toTaskView(task) };
		if (view === "task") return base;
		const transitions = this.store
			.transitionsBetween(since, task.transitionSeq)
			.sort((a, b) => a.seq - b.seq);
		const moved = new Set<string>();
		for (const t of transitions) if (t.stepUuid !== null) moved.add(t.stepUuid);
		const records = [...moved].flatMap((uuid) => {
			const step = this.store.getStep(uuid);
			return step ? [step] : [];
		});
		if (view === "graph") {
			return {
				...base,
				steps: records.map((step) => toGraphStep(task, step)),
				transitions: transitions.map(toGraphTransition),
			};
		}
		return {
			...base,
			steps: records.map((step) => toStepView(task, step)),
			transitions: transitions.map((t) => toTransitionView(task, t)),
		};
	}
}
