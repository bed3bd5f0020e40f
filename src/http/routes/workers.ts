// The pull protocol for remote workers in any language (docs/pull-workers.md): long-poll for steps,
// keep their leases alive, report outcomes (and take the steps they make ready), give leases back, leave.
import { createRoute } from "@hono/zod-openapi";
import type { z } from "zod";
import { isPullNamespace } from "../../core/namespace-routes";
import { DEFAULT_LEASE_SECONDS } from "../../pull/pull-limits";
import { type PullEnv, pollSteps, reportResults } from "../../pull/pull-service";
import { workQueue } from "../../pull/work-queue-stub";
import { namespaceQueues } from "../../queue/namespace-queues";
import { notFound } from "../api-error";
import { bodyReadByHandler, createRouter } from "../openapi-router";
import { readJsonBody } from "../read-json-body";
import { requestBodyLimit } from "../request-body-limit";
import { errorResponses, jsonResponse } from "../route-responses";
import {
	heartbeatRequestSchema,
	leasesResponseSchema,
	leaveRequestSchema,
	leaveResponseSchema,
	pollRequestSchema,
	pollResponseSchema,
	releaseRequestSchema,
	releaseResponseSchema,
	reportRequestSchema,
	reportResponseSchema,
} from "../worker-schemas";

const tags = ["pull workers"];
const errors = errorResponses({
	400: "a malformed body: the message names the field, its value and what was expected",
	404: "the namespace is not served by pull workers (PULL_NAMESPACES)",
	413: "the body is too large",
});

function post<S extends z.ZodType, R extends z.ZodType>(
	path: string,
	summary: string,
	body: S,
	response: R,
	description: string,
) {
	return createRoute({
		method: "post",
		path,
		tags,
		summary,
		middleware: [requestBodyLimit()] as const,
		request: { body: { required: true, content: { "application/json": { schema: body } } } },
		responses: { 200: jsonResponse(response, description), ...errors },
	});
}

const poll = post(
	"/poll",
	"Lease steps of a namespace for these handlers, waiting up to wait_seconds for one",
	pollRequestSchema,
	pollResponseSchema,
	"The steps leased (none when the wait ran out), each with the inputs a queue consumer gets",
);
const results = post(
	"/results",
	"Report step outcomes, fenced by attempt; with take_next, get the steps they make ready",
	reportRequestSchema,
	reportResponseSchema,
	"What the task objects made of each outcome, and the steps handed over to this worker",
);
const heartbeat = post(
	"/heartbeat",
	"Extend the leases of steps still running",
	heartbeatRequestSchema,
	leasesResponseSchema,
	"The leases still held (extended) and those lost (their steps were delivered again or are done)",
);
const release = post(
	"/release",
	"Give leased steps back unfinished, to be delivered again at once",
	releaseRequestSchema,
	releaseResponseSchema,
	"How many leases were given back",
);
const leave = post(
	"/leave",
	"A worker stopping: end its polls still held, so that none takes a step for it",
	leaveRequestSchema,
	leaveResponseSchema,
	"How many of its polls were still held, and ended with no steps",
);

/** The env, once its namespace is known to be served by pull workers. */
function pullEnv(env: Env, namespace: string): PullEnv {
	const queues = namespaceQueues(env ?? {});
	if (!queues.ok) throw new Error(`invalid namespace routing: ${queues.problems.join("; ")}`);
	if (!isPullNamespace(queues.routes, namespace)) {
		const pull = [...queues.routes.keys()].filter((ns) => isPullNamespace(queues.routes, ns)).sort();
		throw notFound(
			`namespace "${namespace}" is not served by pull workers (PULL_NAMESPACES: ${
				pull.length > 0 ? pull.map((ns) => `"${ns}"`).join(", ") : "none"
			})`,
		);
	}
	return env as unknown as PullEnv;
}

export function workerRoutes() {
	const app = createRouter();

	app.openapi(bodyReadByHandler(app, poll), async (c) => {
		const body = await readJsonBody(c, pollRequestSchema);
		return c.json(await pollSteps(pullEnv(c.env, body.namespace), body), 200);
	});

	app.openapi(bodyReadByHandler(app, results), async (c) => {
		const body = await readJsonBody(c, reportRequestSchema);
		return c.json(await reportResults(pullEnv(c.env, body.namespace), body), 200);
	});

	app.openapi(bodyReadByHandler(app, heartbeat), async (c) => {
		const body = await readJsonBody(c, heartbeatRequestSchema);
		const queue = workQueue(pullEnv(c.env, body.namespace), body.namespace);
		return c.json(
			await queue.extend(body.lease_ids, (body.lease_seconds ?? DEFAULT_LEASE_SECONDS) * 1_000),
			200,
		);
	});

	app.openapi(bodyReadByHandler(app, release), async (c) => {
		const body = await readJsonBody(c, releaseRequestSchema);
		const queue = workQueue(pullEnv(c.env, body.namespace), body.namespace);
		return c.json(await queue.release(body.lease_ids), 200);
	});

	app.openapi(bodyReadByHandler(app, leave), async (c) => {
		const body = await readJsonBody(c, leaveRequestSchema);
		const queue = workQueue(pullEnv(c.env, body.namespace), body.namespace);
		return c.json(await queue.leave(body.worker_id), 200);
	});

	return app;
}
