// Bench-only HTTP routes (never in the real API): start and await floor runs and Workflow instances, read a
// task's engine counters and the consumer's invocation counts. Waits answer as soon as the thing is finished.
import { Hono } from "hono";
import { taskObject } from "../../src/task-object-stub";
import type { BenchEnv } from "./bench-env";
import { findBenchTemplate } from "./bench-templates";
import { isCodedWorkflow } from "./coded-workflows";
import { consumerCounts } from "./consumer-counter";
import { FLOOR_MODES, type FloorMode } from "./floor-object";

const MAX_WAIT_SECONDS = 120;
const MAX_FLOOR_HOPS = 10_000;
/** How often the Workflow wait polls `instance.status()`: Workflows has no "wait until complete" call. */
const WORKFLOW_POLL_MS = 1;
const TERMINAL_WORKFLOW_STATUSES = new Set(["complete", "errored", "terminated"]);

type Context = { Bindings: BenchEnv };

class BadRequest extends Error {}

export function benchRoutes() {
	const app = new Hono<Context>().basePath("/bench");

	app.post("/floor", async (c) => {
		const body = await c.req.json<{ hops?: unknown; mode?: unknown }>();
		const hops = Number(body.hops);
		if (!Number.isInteger(hops) || hops < 1 || hops > MAX_FLOOR_HOPS) {
			throw new BadRequest(`hops: expected an integer from 1 to ${MAX_FLOOR_HOPS}`);
		}
		const mode = (body.mode ?? "alarm") as FloorMode;
		if (!FLOOR_MODES.includes(mode)) throw new BadRequest(`mode: expected one of ${FLOOR_MODES.join(", ")}`);
		const run = crypto.randomUUID();
		await floor(c.env, run).start(run, hops, mode);
		return c.json({ run }, 201);
	});

	app.get("/floor/:run", async (c) => {
		const result = await floor(c.env, c.req.param("run")).result(waitMs(c.req.query("wait_seconds")));
		return result ? c.json(result) : c.json({ error: "no such floor run" }, 404);
	});

	app.post("/workflows", async (c) => {
		const body = await c.req.json<{ template?: unknown }>();
		const template = String(body.template);
		if (!findBenchTemplate(template) && !isCodedWorkflow(template)) {
			throw new BadRequest(`template: no bench template named ${template}`);
		}
		const instance = await c.env.BENCH_WORKFLOW.create({ params: { template } });
		return c.json({ id: instance.id }, 201);
	});

	app.get("/workflows/:id", async (c) => {
		const instance = await c.env.BENCH_WORKFLOW.get(c.req.param("id"));
		const deadline = Date.now() + waitMs(c.req.query("wait_seconds"));
		let polls = 0;
		for (;;) {
			const status = await instance.status();
			polls++;
			if (TERMINAL_WORKFLOW_STATUSES.has(status.status) || Date.now() >= deadline) {
				return c.json({
					id: instance.id,
					status: status.status,
					error: status.error ?? null,
					output: status.output ?? null,
					polls,
				});
			}
			await new Promise((resolve) => setTimeout(resolve, WORKFLOW_POLL_MS));
		}
	});

	app.get("/tasks/:uuid/stats", async (c) => {
		const stats = await taskObject(c.env, c.req.param("uuid").toLowerCase()).getStats();
		return stats ? c.json(stats) : c.json({ error: "no such task" }, 404);
	});

	app.get("/consumer", (c) => c.json(consumerCounts()));

	app.onError((error, c) =>
		error instanceof BadRequest || error instanceof SyntaxError
			? c.json({ error: error.message }, 400)
			: c.json({ error: String(error) }, 500),
	);
	return app;
}

function floor(env: BenchEnv, run: string) {
	return env.FLOOR.get(env.FLOOR.idFromName(run));
}

function waitMs(text: string | undefined): number {
	const seconds = text === undefined ? 0 : Number(text);
	if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_WAIT_SECONDS) {
		throw new BadRequest(`wait_seconds: expected a number from 0 to ${MAX_WAIT_SECONDS}`);
	}
	return Math.round(seconds * 1000);
}
