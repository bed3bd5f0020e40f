// Routing steps to a queue per namespace: NAMESPACE_QUEUES is checked against the Worker's queue
// bindings, every mistake named precisely; a namespace without a route goes to the default queue.
import { describe, expect, it } from "vitest";
import {
	DEFAULT_STEP_QUEUE_BINDING,
	isPullNamespace,
	PULL_WORKERS_ROUTE,
	parseNamespaceRoutes,
	parsePullNamespaces,
	queueBindingFor,
	routedNamespaces,
} from "../../src/core/namespace-routes";
import { namespaceQueues, requireNamespaceQueues } from "../../src/queue/namespace-queues";

const QUEUES = ["STEP_QUEUE", "STEP_QUEUE_BILLING"];

function problemsOf(value: unknown, queues = QUEUES, pull?: unknown): string[] {
	const parsed = parseNamespaceRoutes(value, queues, pull);
	if (parsed.ok) throw new Error("expected problems");
	return parsed.problems;
}

describe("parseNamespaceRoutes", () => {
	it("no routes at all: every namespace goes to the default queue", () => {
		for (const absent of [undefined, null, ""]) {
			const parsed = parseNamespaceRoutes(absent, QUEUES);
			expect(parsed).toEqual({ ok: true, routes: new Map() });
			if (parsed.ok) expect(queueBindingFor(parsed.routes, "billing")).toBe(DEFAULT_STEP_QUEUE_BINDING);
		}
	});

	it("a TOML table routes its namespaces; the others keep the default queue", () => {
		const parsed = parseNamespaceRoutes({ billing: "STEP_QUEUE_BILLING" }, QUEUES);
		if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
		expect(queueBindingFor(parsed.routes, "billing")).toBe("STEP_QUEUE_BILLING");
		expect(queueBindingFor(parsed.routes, "default")).toBe("STEP_QUEUE");
		expect(queueBindingFor(parsed.routes, "shipping")).toBe("STEP_QUEUE");
		expect([...routedNamespaces(parsed.routes)]).toEqual(["billing"]);
	});

	it("the same map as a JSON string (a var set as text) is accepted", () => {
		const parsed = parseNamespaceRoutes('{"billing":"STEP_QUEUE_BILLING"}', QUEUES);
		expect(parsed.ok && [...parsed.routes]).toEqual([["billing", "STEP_QUEUE_BILLING"]]);
	});

	it("a namespace routed to the default queue explicitly is not served elsewhere", () => {
		const parsed = parseNamespaceRoutes({ billing: "STEP_QUEUE_BILLING", orders: "STEP_QUEUE" }, QUEUES);
		expect(parsed.ok && [...routedNamespaces(parsed.routes)]).toEqual(["billing"]);
	});

	it("names each bad entry, its value and what was expected; all of them at once", () => {
		expect(
			problemsOf({ Billing: "STEP_QUEUE_BILLING", billing: "STEP_QUEUE_BILLIN", ops: 3, x: "not a name" }),
		).toEqual([
			'NAMESPACE_QUEUES.Billing: "Billing" is not a namespace; expected [a-z0-9_], at most 29 characters',
			'NAMESPACE_QUEUES.billing: "STEP_QUEUE_BILLIN" is not a queue producer binding of this Worker (its queue bindings: STEP_QUEUE, STEP_QUEUE_BILLING); declare it under [[queues.producers]]',
			"NAMESPACE_QUEUES.ops: expected the name of a queue producer binding, got a number",
			'NAMESPACE_QUEUES.x: expected the name of a queue producer binding, got "not a name"',
		]);
	});

	it("rejects what is not a map, and text that is not JSON", () => {
		expect(problemsOf(["billing"])).toEqual([
			'NAMESPACE_QUEUES: expected a map of namespace to queue binding (e.g. { billing = "STEP_QUEUE_BILLING" }), got a list',
		]);
		expect(problemsOf("billing=STEP_QUEUE_BILLING")).toEqual([
			'NAMESPACE_QUEUES: "billing=STEP_QUEUE_BILLING" is not JSON; expected a map of namespace to queue binding',
		]);
		expect(problemsOf({ billing: "STEP_QUEUE_BILLING" }, [])).toEqual([
			'NAMESPACE_QUEUES.billing: "STEP_QUEUE_BILLING" is not a queue producer binding of this Worker (its queue bindings: none); declare it under [[queues.producers]]',
		]);
	});
});

describe("namespaceQueues (a Worker's env)", () => {
	const queue = (name: string) => ({ name, send: async () => {}, sendBatch: async () => {} });

	it("resolves each namespace to its queue binding, the default queue for the rest", () => {
		const env = {
			STEP_QUEUE: queue("default"),
			STEP_QUEUE_BILLING: queue("billing"),
			TASKS: {},
			NAMESPACE_QUEUES: { billing: "STEP_QUEUE_BILLING" },
		};
		const queues = requireNamespaceQueues(env);
		expect(queues.queueFor("billing")).toBe(env.STEP_QUEUE_BILLING);
		expect(queues.queueFor("default")).toBe(env.STEP_QUEUE);
	});

	it("a route to a binding that is not a queue is refused with every problem named", () => {
		const env = { STEP_QUEUE: queue("default"), TASKS: {}, NAMESPACE_QUEUES: { billing: "TASKS" } };
		expect(namespaceQueues(env)).toEqual({
			ok: false,
			problems: [
				'NAMESPACE_QUEUES.billing: "TASKS" is not a queue producer binding of this Worker (its queue bindings: STEP_QUEUE); declare it under [[queues.producers]]',
			],
		});
		expect(() => requireNamespaceQueues(env)).toThrow(
			/invalid NAMESPACE_QUEUES in wrangler.toml:\n {2}- .*"TASKS"/,
		);
	});

	it("a Worker without its default queue fails the send of an unrouted namespace, by name", () => {
		const queues = requireNamespaceQueues({ TASKS: {} });
		expect(() => queues.queueFor("default")).toThrow('no queue binding STEP_QUEUE for namespace "default"');
	});
});

describe("PULL_NAMESPACES: namespaces served by pull workers", () => {
	it("accepts a TOML list, a name, names with commas or a JSON list; pull namespaces are routed away", () => {
		for (const value of [["default", "ml"], "default,ml", " default , ml ", '["default","ml"]']) {
			const parsed = parseNamespaceRoutes({ billing: "STEP_QUEUE_BILLING" }, QUEUES, value);
			if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
			expect(isPullNamespace(parsed.routes, "default")).toBe(true);
			expect(isPullNamespace(parsed.routes, "billing")).toBe(false);
			expect(queueBindingFor(parsed.routes, "ml")).toBe(PULL_WORKERS_ROUTE);
			// Templates of a pull namespace are not checked against this Worker's handlers.
			expect([...routedNamespaces(parsed.routes)].sort()).toEqual(["billing", "default", "ml"]);
		}
		expect(parsePullNamespaces(undefined)).toEqual({ ok: true, namespaces: [] });
		expect(parsePullNamespaces("")).toEqual({ ok: true, namespaces: [] });
	});

	it("names each bad entry, and a namespace served both ways", () => {
		expect(parsePullNamespaces(["Default", 3])).toEqual({
			ok: false,
			problems: [
				'PULL_NAMESPACES[0]: "Default" is not a namespace; expected [a-z0-9_], at most 29 characters',
				"PULL_NAMESPACES[1]: a number is not a namespace; expected [a-z0-9_], at most 29 characters",
			],
		});
		expect(parsePullNamespaces("[oops")).toMatchObject({ ok: false });
		expect(parsePullNamespaces({ default: true })).toEqual({
			ok: false,
			problems: [
				'PULL_NAMESPACES: expected a list of namespaces (e.g. ["default"]) or names separated by commas, got a object',
			],
		});
		expect(problemsOf({ billing: "STEP_QUEUE_BILLING" }, QUEUES, "billing")).toEqual([
			'PULL_NAMESPACES: "billing" is also routed to a queue (NAMESPACE_QUEUES.billing = "STEP_QUEUE_BILLING"); a namespace is served by a queue consumer or by pull workers, not both',
		]);
	});

	it("a Worker sends a pull namespace's steps to its work queue object, and needs the binding", async () => {
		const enqueued: unknown[] = [];
		const workQueues = {
			idFromName: (name: string) => name,
			get: (id: string) => ({
				enqueue: async (messages: unknown[]) => {
					enqueued.push({ id, messages });
					return { accepted: messages.length };
				},
			}),
		};
		const env = {
			STEP_QUEUE: { send: async () => {}, sendBatch: async () => {} },
			TASKS: {},
			WORK_QUEUES: workQueues,
			PULL_NAMESPACES: "default",
		};
		await requireNamespaceQueues(env)
			.queueFor("default")
			.sendBatch([{ body: { step_uuid: "s" } }]);
		expect(enqueued).toEqual([{ id: "default", messages: [{ step_uuid: "s" }] }]);
		expect(requireNamespaceQueues(env).queueFor("other")).toBe(env.STEP_QUEUE);
		expect(namespaceQueues({ TASKS: {}, PULL_NAMESPACES: "default" })).toEqual({
			ok: false,
			problems: [
				"PULL_NAMESPACES: pull namespaces need the WORK_QUEUES Durable Object binding (class WorkQueueObject); declare it under [[durable_objects.bindings]]",
			],
		});
	});
});
