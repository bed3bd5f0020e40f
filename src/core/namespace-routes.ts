// Which queue a namespace's steps go to. The routes are a map from namespace to the name of a queue
// producer binding, declared in wrangler.toml as `[vars.NAMESPACE_QUEUES]`, next to the bindings they
// name: a namespace not in the map goes to the default queue. Pure, so that the Worker, the task object
// and the build-time check (scripts/lib/load-project.ts) all accept and reject exactly the same maps.
import { MAX_NAMESPACE_LENGTH } from "../limits";

/** The wrangler.toml var that holds the routes. */
export const NAMESPACE_QUEUES_VAR = "NAMESPACE_QUEUES";
/** The queue every namespace without a route goes to (consumed by the orchestrator's own Worker). */
export const DEFAULT_STEP_QUEUE_BINDING = "STEP_QUEUE";

/** namespace → queue binding name; only namespaces with a route of their own. */
export type NamespaceRoutes = ReadonlyMap<string, string>;

export type ParsedNamespaceRoutes = { ok: true; routes: NamespaceRoutes } | { ok: false; problems: string[] };

const NAMESPACE = /^[a-z0-9_]+$/;
const BINDING = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks the declared routes against the queue producer bindings the Worker has. Absent routes are
 * no routes. Every problem is reported, each naming the entry, its value and what was expected.
 * Accepts a TOML table (an object) or the same map as a JSON string (a var set as text).
 */
export function parseNamespaceRoutes(
	value: unknown,
	queueBindings: readonly string[],
): ParsedNamespaceRoutes {
	if (value === undefined || value === null || value === "") return { ok: true, routes: new Map() };
	let map: unknown = value;
	if (typeof value === "string") {
		try {
			map = JSON.parse(value);
		} catch {
			return {
				ok: false,
				problems: [
					`${NAMESPACE_QUEUES_VAR}: ${JSON.stringify(value)} is not JSON; expected a map of namespace to queue binding`,
				],
			};
		}
	}
	if (typeof map !== "object" || map === null || Array.isArray(map)) {
		return {
			ok: false,
			problems: [
				`${NAMESPACE_QUEUES_VAR}: expected a map of namespace to queue binding (e.g. { billing = "STEP_QUEUE_BILLING" }), got ${describe(map)}`,
			],
		};
	}
	const known = [...queueBindings].sort();
	const problems: string[] = [];
	const routes = new Map<string, string>();
	for (const [namespace, binding] of Object.entries(map)) {
		const at = `${NAMESPACE_QUEUES_VAR}.${namespace}`;
		if (!NAMESPACE.test(namespace) || namespace.length > MAX_NAMESPACE_LENGTH) {
			problems.push(
				`${at}: "${namespace}" is not a namespace; expected [a-z0-9_], at most ${MAX_NAMESPACE_LENGTH} characters`,
			);
			continue;
		}
		if (typeof binding !== "string" || !BINDING.test(binding)) {
			problems.push(`${at}: expected the name of a queue producer binding, got ${describe(binding)}`);
			continue;
		}
		if (!known.includes(binding)) {
			problems.push(
				`${at}: "${binding}" is not a queue producer binding of this Worker (its queue bindings: ${
					known.length > 0 ? known.join(", ") : "none"
				}); declare it under [[queues.producers]]`,
			);
			continue;
		}
		routes.set(namespace, binding);
	}
	return problems.length > 0 ? { ok: false, problems } : { ok: true, routes };
}

/** The binding a namespace's steps are sent to: its own route, else the default queue. */
export function queueBindingFor(routes: NamespaceRoutes, namespace: string): string {
	return routes.get(namespace) ?? DEFAULT_STEP_QUEUE_BINDING;
}

/**
 * Namespaces whose steps leave for another queue than the default one: their handlers live in the
 * Worker that consumes that queue, so this Worker need not (and usually does not) have them.
 */
export function routedNamespaces(routes: NamespaceRoutes): ReadonlySet<string> {
	return new Set(
		[...routes].filter(([, binding]) => binding !== DEFAULT_STEP_QUEUE_BINDING).map(([ns]) => ns),
	);
}

function describe(value: unknown): string {
	if (value === null) return "null";
	if (Array.isArray(value)) return "a list";
	return typeof value === "string" ? JSON.stringify(value) : `a ${typeof value}`;
}
