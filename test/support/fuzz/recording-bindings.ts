// Stand-ins for every binding the Worker declares (read from worker-configuration.d.ts, so a binding
// added later is covered without editing this file), recording each call: the fuzz tests prove that a
// rejected request reached none of them. They answer as if every task and step exists and every
// action applies, so that any 404 or 409 of a task route would have to come from the HTTP layer (the
// stream's upgrade aside: a 101 cannot be built outside the Workers runtime).
import { readFileSync } from "node:fs";

export const BindingKind = {
	durableObject: "durable_object",
	queue: "queue",
	d1: "d1",
	other: "other",
} as const;
export type BindingKind = (typeof BindingKind)[keyof typeof BindingKind];

export interface BindingCall {
	binding: string;
	/** `idFromName`, `get`, an RPC method name, `send`, `prepare` … */
	method: string;
	/** Changes something (an RPC that is not a read, a send, a D1 statement that is not a SELECT). */
	writes: boolean;
	/** The stand-in had no answer for it (an RPC it does not know): a 500 after it is the fake's doing. */
	unanswered: boolean;
}

export interface Recording {
	calls: BindingCall[];
}

/** Thrown by a stand-in asked something it cannot answer, or by every binding in failing mode. */
export class FakeBindingError extends Error {
	constructor(message: string) {
		super(message);
		this.name = "FakeBindingError";
	}
}

/** A marker that must never reach a client: the failing mode puts it in every thrown error. */
export const LEAK_MARKER = "fake-binding-secret-3f9c";

/** The object methods that change nothing (an RPC not named here is recorded as a write). */
const OBJECT_READS: ReadonlySet<string> = new Set([
	"getTask",
	"listSteps",
	"getStep",
	"getStepAudit",
	"getTaskAudit",
	"getStats",
	"listDomainEvents",
	// The stream's upgrade: it opens a socket, it changes no task.
	"fetch",
	"read",
	"depth",
]);

const UUID = "019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b";
const AT = "2026-01-01T00:00:00.000Z";
const fakeTask = (taskUuid = UUID) => ({ task_uuid: taskUuid, status: "complete", steps: [] });
const fakeStep = (stepUuid = UUID) => ({ step_uuid: stepUuid, task_uuid: UUID, state: "complete" });
const fakeSchedule = (scheduleId = UUID, settings: Record<string, unknown> = {}) => ({
	schedule_id: scheduleId,
	namespace: "default",
	name: "order_processing",
	version: null,
	cron: "0 * * * *",
	timezone: "UTC",
	context: {},
	overlap: "skip",
	catch_up: "latest",
	paused: false,
	...settings,
	next_run_at: AT,
	created_at: AT,
	updated_at: AT,
	runs: { started: 0, skipped: 0, failed: 0, missed: 0 },
});
const fakeRun = () => ({
	seq: 1,
	kind: "manual",
	due_at: AT,
	state: "started",
	task_uuid: UUID,
	detail: null,
	created_at: AT,
	updated_at: AT,
});
const ids = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);

type Answers = Readonly<Record<string, (...args: unknown[]) => unknown>>;

/**
 * What each Durable Object class answers, method by method (keyed by the class the binding declares);
 * anything else is unanswered. Every method the Worker calls must be here, in the shape it returns:
 * the fuzz test fails on an unanswered call, so a route added without its answer is noticed.
 */
const OBJECT_ANSWERS: Readonly<Record<string, Answers>> = {
	TaskObject: {
		create: (input) => ({ task: fakeTask((input as { taskUuid?: string })?.taskUuid), created: true }),
		cancel: () => ({ kind: "applied", task: fakeTask(), step: null }),
		actOnStep: (stepUuid) => ({ kind: "applied", task: fakeTask(), step: fakeStep(String(stepUuid)) }),
		getTask: () => fakeTask(),
		listSteps: () => [fakeStep()],
		getStep: (stepUuid) => fakeStep(String(stepUuid)),
		getStepAudit: () => [],
		getTaskAudit: () => [],
		getStats: () => ({}),
		claim: () => ({ claimed: true }),
		listDomainEvents: () => [],
		sendEvent: () => ({ kind: "buffered", taskStatus: "in_progress" }),
		// A 101 with a socket cannot be built outside the Workers runtime: the object says it holds no task,
		// which the route answers with its 404 (a read, allowed).
		fetch: () => new Response("no task", { status: 404 }),
	},
	ScheduleObject: {
		create: (scheduleId, settings) => ({
			kind: "applied",
			value: fakeSchedule(String(scheduleId), settings as Record<string, unknown>),
		}),
		read: () => ({ ...fakeSchedule(), next_runs: [AT], last_runs: [fakeRun()] }),
		change: () => ({ kind: "applied", value: fakeSchedule() }),
		trigger: () => ({ kind: "applied", value: fakeRun() }),
		remove: () => fakeSchedule(),
	},
	WorkQueueObject: {
		enqueue: (messages) => ({ accepted: Array.isArray(messages) ? messages.length : 0 }),
		lease: () => [],
		extend: (leaseIds) => ({ held: ids(leaseIds), lost: [] }),
		ack: (leaseIds) => ({ acked: ids(leaseIds).length }),
		release: (leaseIds) => ({ released: ids(leaseIds).length }),
		depth: () => ({ visible: 0, leased: 0 }),
	},
};

/** The bindings `wrangler types` declared: name → kind, and the vars' values where they are JSON. */
export function declaredBindings(file = new URL("../../../worker-configuration.d.ts", import.meta.url)): {
	bindings: Map<string, BindingKind>;
	/** A Durable Object binding's class name. */
	classes: Map<string, string>;
	vars: Record<string, unknown>;
} {
	const text = readFileSync(file, "utf8");
	const body = /interface __BaseEnv_Env \{([\s\S]*?)\n\}/.exec(text)?.[1] ?? "";
	const bindings = new Map<string, BindingKind>();
	const classes = new Map<string, string>();
	const vars: Record<string, unknown> = {};
	for (const line of body.split("\n")) {
		const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\??:\s*(.+?);?\s*$/.exec(line);
		if (!match) continue;
		const [, name = "", type = ""] = match;
		if (type.startsWith("DurableObjectNamespace")) {
			bindings.set(name, BindingKind.durableObject);
			const className = /\.([A-Za-z0-9_]+)>$/.exec(type)?.[1];
			if (className) classes.set(name, className);
		} else if (type.startsWith("Queue")) bindings.set(name, BindingKind.queue);
		else if (type.startsWith("D1Database")) bindings.set(name, BindingKind.d1);
		else if (/^[A-Z][A-Za-z0-9]*(<.*>)?$/.test(type)) bindings.set(name, BindingKind.other);
		else {
			try {
				vars[name] = JSON.parse(type);
			} catch {
				// A var typed `string` (a secret or a plain var): left unset, as `npm run dev` without .dev.vars.
			}
		}
	}
	return { bindings, classes, vars };
}

export interface RecordingEnvOptions {
	/** Merged over the declared vars (auth settings, say). */
	vars?: Record<string, unknown>;
	/** Every binding method throws (with LEAK_MARKER in its message): the one allowed source of a 500. */
	failing?: boolean;
}

export function recordingEnv(options: RecordingEnvOptions = {}): { env: Env; recording: Recording } {
	const recording: Recording = { calls: [] };
	const { bindings, classes, vars } = declaredBindings();
	const env: Record<string, unknown> = { ...vars, ...options.vars };
	const failing = options.failing === true;

	const record = (binding: string, method: string, writes: boolean, unanswered = false) => {
		recording.calls.push({ binding, method, writes, unanswered });
		if (failing) {
			throw new FakeBindingError(
				`${binding}.${method} failed (${LEAK_MARKER}) at /srv/app/secret-path.ts:12:34\n    at fake (/x.ts:1:1)`,
			);
		}
	};

	for (const [name, kind] of bindings) {
		if (kind === BindingKind.durableObject)
			env[name] = objectNamespace(name, OBJECT_ANSWERS[classes.get(name) ?? ""] ?? {}, record);
		else if (kind === BindingKind.queue) env[name] = queue(name, record);
		else if (kind === BindingKind.d1) env[name] = d1(name, record);
		else env[name] = unknownBinding(name, record);
	}
	return { env: env as unknown as Env, recording };
}

type Recorder = (binding: string, method: string, writes: boolean, unanswered?: boolean) => void;

function objectNamespace(name: string, answers: Answers, record: Recorder) {
	const stub = new Proxy(
		{},
		{
			get(_target, method) {
				// Not a thenable, and not serialised as one.
				if (typeof method !== "string" || method === "then" || method === "toJSON") return undefined;
				return async (...args: unknown[]) => {
					const answer = answers[method];
					record(name, method, !OBJECT_READS.has(method), answer === undefined);
					if (answer === undefined)
						throw new FakeBindingError(`${name} stand-in has no answer for ${method}`);
					return answer(...args);
				};
			},
		},
	);
	const id = (value: string) => ({ toString: () => value, name: value });
	return {
		idFromName: (idName: string) => {
			record(name, "idFromName", false);
			return id(idName);
		},
		idFromString: (value: string) => {
			record(name, "idFromString", false);
			return id(value);
		},
		newUniqueId: () => {
			record(name, "newUniqueId", false);
			return id(UUID);
		},
		get: () => {
			record(name, "get", false);
			return stub;
		},
		getByName: () => {
			record(name, "getByName", false);
			return stub;
		},
	};
}

function queue(name: string, record: Recorder) {
	return {
		send: async () => record(name, "send", true),
		sendBatch: async () => record(name, "sendBatch", true),
	};
}

/** A D1 database whose tables are all empty; a statement writes unless it reads or creates if absent. */
function d1(name: string, record: Recorder) {
	const writes = (sql: string) =>
		!/^\s*(SELECT|CREATE\s+(UNIQUE\s+)?(TABLE|INDEX)\s+IF\s+NOT\s+EXISTS)\b/i.test(sql);
	const statement = (sql: string) => {
		const self = {
			sql,
			bind: (..._values: unknown[]) => self,
			first: async () => {
				record(name, "first", writes(sql));
				return null;
			},
			all: async () => {
				record(name, "all", writes(sql));
				return { results: [], success: true, meta: {} };
			},
			raw: async () => {
				record(name, "raw", writes(sql));
				return [];
			},
			run: async () => {
				record(name, "run", writes(sql));
				return { results: [], success: true, meta: { changes: 0 } };
			},
		};
		return self;
	};
	return {
		prepare: (sql: string) => statement(sql),
		batch: async (statements: Array<{ sql: string }>) => {
			record(
				name,
				"batch",
				statements.some((s) => writes(s.sql)),
			);
			return statements.map(() => ({ results: [], success: true, meta: {} }));
		},
		exec: async () => record(name, "exec", true),
		dump: async () => record(name, "dump", false, true),
	};
}

/** A binding of a kind this file does not know: any call is recorded as an unanswered write. */
function unknownBinding(name: string, record: Recorder) {
	return new Proxy(
		{},
		{
			get(_target, method) {
				if (typeof method !== "string" || method === "then" || method === "toJSON") return undefined;
				return () => {
					record(name, method, true, true);
					throw new FakeBindingError(`${name} stand-in has no answer for ${method}`);
				};
			},
		},
	);
}
