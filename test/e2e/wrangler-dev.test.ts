// End to end on a real `wrangler dev`: real HTTP, a real local Queue and Durable Objects.
import { describe, expect, inject, it } from "vitest";
import { SEED_ORDER_TOTAL, seedOrderRequest } from "../../scripts/lib/seed-order";

const url = inject("taskerUrl");

// A new order on every run (wrangler dev keeps its state in .wrangler/ between runs, and a resubmitted
// order is a 409), and twenty more derived from it.
const seedOrder = seedOrderRequest({ source_system: "e2e" });
const orderId = (i: number) => `${String(seedOrder.context.order_id)}-${i}`;

type Json = Record<string, unknown>;

async function post(path: string, body: string) {
	const response = await fetch(`${url}${path}`, {
		method: "POST",
		headers: { "content-type": "application/json" },
		body,
	});
	return { status: response.status, body: (await response.json()) as Json };
}

async function get(path: string) {
	const response = await fetch(`${url}${path}`);
	return { status: response.status, body: (await response.json()) as Json };
}

async function waitForTerminal(taskUuid: string, timeoutMs = 20_000): Promise<Json> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const { body } = await get(`/v1/tasks/${taskUuid}`);
		if (["complete", "error", "cancelled"].includes(String(body.status))) return body;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	throw new Error(`task ${taskUuid} did not finish within ${timeoutMs} ms`);
}

describe("on wrangler dev", () => {
	it("the seed's order completes through the real local Queue, charging 109.97", async () => {
		const created = await post("/v1/tasks", JSON.stringify(seedOrder));
		expect(created.status).toBe(201);
		const taskUuid = String(created.body.task_uuid);
		// The same order again is a duplicate, refused by its identity object, naming the first task.
		expect(await post("/v1/tasks", JSON.stringify(seedOrder))).toMatchObject({
			status: 409,
			body: { error: { code: "CONFLICT", message: expect.stringContaining(taskUuid) } },
		});
		const task = await waitForTerminal(taskUuid);
		expect(task).toMatchObject({ status: "complete", completed_steps: 4, completion_percentage: 100 });

		const steps = (await get(`/v1/tasks/${taskUuid}/workflow_steps`)).body as unknown as Array<{
			name: string;
			current_state: string;
			results: { result: Json };
		}>;
		expect(steps.map((s) => [s.name, s.current_state])).toEqual([
			["validate_order", "complete"],
			["reserve_inventory", "complete"],
			["notify_customer", "complete"],
			["charge_payment", "complete"],
		]);
		expect(steps[3]?.results.result).toMatchObject({ charged: true, amount: SEED_ORDER_TOTAL });
	});

	it("twenty orders submitted at once all complete, each with its own result", async () => {
		const created = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				post(
					"/v1/tasks",
					JSON.stringify({ ...seedOrder, context: { ...seedOrder.context, order_id: orderId(i) } }),
				),
			),
		);
		expect(created.map((c) => c.status)).toEqual(Array(20).fill(201));
		const tasks = await Promise.all(created.map((c) => waitForTerminal(String(c.body.task_uuid))));
		expect(tasks.map((t) => t.status)).toEqual(Array(20).fill("complete"));
		expect(tasks.map((t) => (t.context as Json).order_id).sort()).toEqual(
			Array.from({ length: 20 }, (_, i) => orderId(i)).sort(),
		);
	});

	it("GET /metrics counts the orders above across all task objects, in Prometheus text", async () => {
		const series = 'tasker_tasks_completed_total{namespace="default",task="order_processing"}';
		const deadline = Date.now() + 5_000;
		let completed = 0;
		let text = "";
		// The pushes land just after each task finishes; 21 orders completed above, more on earlier runs.
		while (Date.now() < deadline && completed < 21) {
			const response = await fetch(`${url}/metrics`);
			expect(response.headers.get("content-type")).toContain("text/plain");
			text = await response.text();
			completed = Number(
				text
					.split("\n")
					.find((line) => line.startsWith(`${series} `))
					?.split(" ")[1] ?? 0,
			);
			if (completed < 21) await new Promise((resolve) => setTimeout(resolve, 50));
		}
		expect(completed).toBeGreaterThanOrEqual(21);
		expect(text).toContain("# TYPE tasker_step_duration_seconds histogram");
		expect(text).toMatch(
			/tasker_step_duration_seconds_count\{namespace="default",task="order_processing",step="charge_payment"\} \d+/,
		);
	});

	it("bad input gets the documented errors", async () => {
		expect(await post("/v1/tasks", "{oops")).toMatchObject({
			status: 400,
			body: { error: { code: "BAD_REQUEST" } },
		});
		expect(await post("/v1/tasks", JSON.stringify({ ...seedOrder, name: "nope" }))).toMatchObject({
			status: 404,
			body: { error: { code: "NOT_FOUND" } },
		});
		expect(await get("/v1/tasks/01a213c4-5220-71db-b60e-000000000000")).toMatchObject({
			status: 404,
			body: {
				error: { code: "NOT_FOUND", message: "no task with task_uuid 01a213c4-5220-71db-b60e-000000000000" },
			},
		});
		expect((await get("/health")).body).toMatchObject({ status: "healthy" });
	});

	it("serves its OpenAPI document, with the routes it has just answered", async () => {
		const { status, body } = await get("/api-docs/openapi.json");
		expect(status).toBe(200);
		expect(body).toMatchObject({ openapi: "3.1.0", info: { title: "tasker-edge" } });
		const paths = body.paths as Record<string, Record<string, unknown>>;
		expect(Object.keys(paths["/v1/tasks"] ?? {}).sort()).toEqual(["get", "post"]);
		expect(Object.keys(paths["/v1/tasks/{task_uuid}/workflow_steps/{step_uuid}"] ?? {}).sort()).toEqual([
			"get",
			"patch",
		]);
	});
});
