// The namespace routes of a running Worker: NAMESPACE_QUEUES checked against the env's own queue
// bindings once per env, so that a mistake is named the first time anything needs a queue (the task
// object before it creates a task, /health/ready), never discovered as steps that silently go nowhere.
import {
	isPullNamespace,
	NAMESPACE_QUEUES_VAR,
	type NamespaceRoutes,
	PULL_NAMESPACES_VAR,
	parseNamespaceRoutes,
	queueBindingFor,
} from "../core/namespace-routes";
import { type WorkQueuesEnv, workQueueSender } from "../pull/work-queue-stub";

/** What a task object sends a namespace's steps through: a queue, or a pull namespace's work queue. */
export interface StepSender {
	sendBatch(messages: Iterable<MessageSendRequest<unknown>>): Promise<unknown>;
}

export type NamespaceQueues =
	| { ok: true; routes: NamespaceRoutes; queueFor(namespace: string): StepSender }
	| { ok: false; problems: string[] };

const resolved = new WeakMap<object, NamespaceQueues>();

export function namespaceQueues(env: object): NamespaceQueues {
	const cached = resolved.get(env);
	if (cached) return cached;
	const bindings = env as Record<string, unknown>;
	const queueBindings = Object.keys(bindings).filter((name) => isQueue(bindings[name]));
	const parsed = parseNamespaceRoutes(
		bindings[NAMESPACE_QUEUES_VAR],
		queueBindings,
		bindings[PULL_NAMESPACES_VAR],
	);
	const workQueues = (env as Partial<WorkQueuesEnv>).WORK_QUEUES;
	let result: NamespaceQueues;
	if (!parsed.ok) {
		result = { ok: false, problems: parsed.problems };
	} else if (
		workQueues === undefined &&
		[...parsed.routes.keys()].some((ns) => isPullNamespace(parsed.routes, ns))
	) {
		result = {
			ok: false,
			problems: [
				`${PULL_NAMESPACES_VAR}: pull namespaces need the WORK_QUEUES Durable Object binding (class WorkQueueObject); declare it under [[durable_objects.bindings]]`,
			],
		};
	} else {
		result = {
			ok: true,
			routes: parsed.routes,
			queueFor: (namespace) => {
				if (workQueues !== undefined && isPullNamespace(parsed.routes, namespace)) {
					return workQueueSender({ WORK_QUEUES: workQueues }, namespace);
				}
				const name = queueBindingFor(parsed.routes, namespace);
				const queue = bindings[name];
				if (!isQueue(queue)) throw new Error(`no queue binding ${name} for namespace "${namespace}"`);
				return queue;
			},
		};
	}
	resolved.set(env, result);
	return result;
}

/** Throws one error naming every problem: for callers that must not go on with a broken routing. */
export function requireNamespaceQueues(env: object): Extract<NamespaceQueues, { ok: true }> {
	const queues = namespaceQueues(env);
	if (queues.ok) return queues;
	throw new Error(`invalid ${NAMESPACE_QUEUES_VAR} in wrangler.toml:\n  - ${queues.problems.join("\n  - ")}`);
}

function isQueue(value: unknown): value is Queue {
	return (
		typeof value === "object" &&
		value !== null &&
		typeof (value as { send?: unknown }).send === "function" &&
		typeof (value as { sendBatch?: unknown }).sendBatch === "function"
	);
}
