// The namespace routes of a running Worker: NAMESPACE_QUEUES checked against the env's own queue
// bindings once per env, so that a mistake is named the first time anything needs a queue (the task
// object before it creates a task, /health/ready), never discovered as steps that silently go nowhere.
import {
	NAMESPACE_QUEUES_VAR,
	type NamespaceRoutes,
	parseNamespaceRoutes,
	queueBindingFor,
} from "../core/namespace-routes";

export type NamespaceQueues =
	| { ok: true; routes: NamespaceRoutes; queueFor(namespace: string): Queue }
	| { ok: false; problems: string[] };

const resolved = new WeakMap<object, NamespaceQueues>();

export function namespaceQueues(env: object): NamespaceQueues {
	const cached = resolved.get(env);
	if (cached) return cached;
	const bindings = env as Record<string, unknown>;
	const queueBindings = Object.keys(bindings).filter((name) => isQueue(bindings[name]));
	const parsed = parseNamespaceRoutes(bindings[NAMESPACE_QUEUES_VAR], queueBindings);
	const result: NamespaceQueues = parsed.ok
		? {
				ok: true,
				routes: parsed.routes,
				queueFor: (namespace) => {
					const name = queueBindingFor(parsed.routes, namespace);
					const queue = bindings[name];
					if (!isQueue(queue)) throw new Error(`no queue binding ${name} for namespace "${namespace}"`);
					return queue;
				},
			}
		: { ok: false, problems: parsed.problems };
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
