// Which queue a namespace's steps go to. The routes are a map from namespace to the name of a queue
// producer binding, declared in wrangler.toml as `[vars.NAMESPACE_QUEUES]`, next to the bindings they
// name: a namespace not in the map goes to the default queue. Pure, so that the Worker, the task object
// and the build-time check (scripts/lib/load-project.ts) all accept and reject exactly the same maps.
import { MAX_NAMESPACE_LENGTH } from "../limits";

/** The wrangler.toml var that holds the routes. */
export const NAMESPACE_QUEUES_VAR = "NAMESPACE_QUEUES";
/** The queue every namespace without a route goes to (consumed by the orchestrator's own Worker). */
export const DEFAULT_STEP_QUEUE_BINDING = "STEP_QUEUE";
/** The wrangler.toml var listing the namespaces served by pull workers over HTTP (docs/pull-workers.md). */
export const PULL_NAMESPACES_VAR = "PULL_NAMESPACES";
/**
 * The route of a pull namespace, in place of a queue binding: its steps wait in the namespace's work
 * queue object (WORK_QUEUES) for remote workers to lease them. Not a valid binding name, so it can
 * never be mistaken for one.
 */
export const PULL_WORKERS_ROUTE = "(pull workers)";

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
	pullNamespaces?: unknown,
): ParsedNamespaceRoutes {
	const queues = parseQueueRoutes(value, queueBindings);
	const pull = parsePullNamespaces(pullNamespaces);
	if (!queues.ok || !pull.ok) {
		return {
			ok: false,
			problems: [...(queues.ok ? [] : queues.problems), ...(pull.ok ? [] : pull.problems)],
		};
	}
	const routes = new Map(queues.routes);
	const problems: string[] = [];
	for (const namespace of pull.namespaces) {
		const queue = routes.get(namespace);
		if (queue !== undefined) {
			problems.push(
				`${PULL_NAMESPACES_VAR}: "${namespace}" is also routed to a queue (${NAMESPACE_QUEUES_VAR}.${namespace} = "${queue}"); a namespace is served by a queue consumer or by pull workers, not both`,
			);
			continue;
		}
		routes.set(namespace, PULL_WORKERS_ROUTE);
	}
	return problems.length > 0 ? { ok: false, problems } : { ok: true, routes };
}

/**
 * The namespaces served by pull workers: a TOML list (`["default"]`), or text (a var set on the
 * command line, `--var PULL_NAMESPACES:default`): names separated by commas, or a JSON list.
 */
export function parsePullNamespaces(
	value: unknown,
): { ok: true; namespaces: string[] } | { ok: false; problems: string[] } {
	if (value === undefined || value === null || value === "") return { ok: true, namespaces: [] };
	let list: unknown = value;
	if (typeof value === "string") {
		const text = value.trim();
		if (text.startsWith("[")) {
			try {
				list = JSON.parse(text);
			} catch {
				return {
					ok: false,
					problems: [`${PULL_NAMESPACES_VAR}: ${JSON.stringify(value)} is not a JSON list of namespaces`],
				};
			}
		} else {
			list = text.split(",").map((part) => part.trim());
		}
	}
	if (!Array.isArray(list)) {
		return {
			ok: false,
			problems: [
				`${PULL_NAMESPACES_VAR}: expected a list of namespaces (e.g. ["default"]) or names separated by commas, got ${describe(list)}`,
			],
		};
	}
	const problems: string[] = [];
	const namespaces: string[] = [];
	list.forEach((namespace, i) => {
		if (
			typeof namespace !== "string" ||
			!NAMESPACE.test(namespace) ||
			namespace.length > MAX_NAMESPACE_LENGTH
		) {
			problems.push(
				`${PULL_NAMESPACES_VAR}[${i}]: ${describe(namespace)} is not a namespace; expected [a-z0-9_], at most ${MAX_NAMESPACE_LENGTH} characters`,
			);
		} else if (!namespaces.includes(namespace)) {
			namespaces.push(namespace);
		}
	});
	return problems.length > 0 ? { ok: false, problems } : { ok: true, namespaces };
}

/** Whether a namespace's steps wait for pull workers rather than go to a queue. */
export function isPullNamespace(routes: NamespaceRoutes, namespace: string): boolean {
	return routes.get(namespace) === PULL_WORKERS_ROUTE;
}

function parseQueueRoutes(value: unknown, queueBindings: readonly string[]): ParsedNamespaceRoutes {
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
 * Namespaces whose steps leave for another queue than the default one, or for pull workers: their
 * handlers live in the Worker that consumes that queue (or in the remote workers), so this Worker need
 * not (and usually does not) have them.
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
