// TaskerClient against the real `wrangler dev`: the seed's order submitted, awaited and read back through
// the client, and the server's errors and validation problems as the client reports them.
import { describe, expect, inject, it } from "vitest";
import { SEED_ORDER_STEPS, SEED_ORDER_TOTAL, seedOrderRequest } from "../../scripts/lib/seed-order";
import { TaskerApiError, TaskerClient } from "../../src/client";

const client = new TaskerClient({ baseUrl: inject("taskerUrl") });

describe("TaskerClient on wrangler dev", () => {
	it("submits the seed's order, waits for it and reads charge_payment's 109.97", async () => {
		// A fresh order_id: the same order twice is one order (a 409).
		const { name, context, initiator, reason } = seedOrderRequest();
		const created = await client.createTask(name, { context, initiator, reason, sourceSystem: "e2e-client" });
		expect(created.taskUuid).toMatch(/^[0-9a-f-]{36}$/);
		expect(created.context).toEqual(context);

		const task = await client.waitForTask(created.taskUuid, { timeoutMs: 20_000 });
		expect(task).toMatchObject({ status: "complete", completedSteps: 4, completionPercentage: 100 });
		// User data is untouched: the context keeps its snake_case keys.
		expect(task.context).toEqual(context);
		expect(Object.keys(task.context)).toContain("order_id");

		const steps = await client.listTaskSteps(created.taskUuid);
		expect(steps.map((step) => [step.name, step.currentState])).toEqual(
			SEED_ORDER_STEPS.map((step) => [step, "complete"]),
		);
		const charge = steps.find((step) => step.name === "charge_payment");
		expect(charge?.results?.result).toMatchObject({ charged: true, amount: SEED_ORDER_TOTAL });
		if (!charge) throw new Error("no charge_payment step");
		expect((await client.getStep(created.taskUuid, charge.stepUuid)).stepUuid).toBe(charge.stepUuid);
		const audit = await client.getStepAudit(created.taskUuid, charge.stepUuid);
		expect(audit.at(-1)).toMatchObject({ toState: "complete", stepName: "charge_payment" });
		expect((await client.getTaskAudit(created.taskUuid)).at(-1)).toMatchObject({ toState: "complete" });

		// The same order again: a 409 naming the task that holds it.
		const duplicate = await client
			.createTask(name, { context, initiator, reason, sourceSystem: "e2e-client" })
			.catch((error: unknown) => error);
		expect(duplicate).toMatchObject({
			status: 409,
			code: "CONFLICT",
			location: `/v1/tasks/${created.taskUuid}`,
		});

		// GET /v1/tasks is being built alongside this client: checked only once the server answers it.
		const probe = await fetch(`${client.baseUrl}/v1/tasks?per_page=1`);
		await probe.body?.cancel();
		if (probe.status === 200) {
			const list = await client.listTasks({ perPage: 1 });
			expect(list.pagination).toMatchObject({ page: 1, perPage: 1 });
			expect(list.tasks.length).toBeLessThanOrEqual(1);
		}
	});

	it("follows a fresh order over its live stream until it is complete, seeing it change on the way", async () => {
		const { name, context, initiator, reason } = seedOrderRequest();
		const created = await client.createTask(name, { context, initiator, reason, sourceSystem: "e2e-stream" });
		const seen: string[] = [];
		const task = await client.followTask(created.taskUuid, {
			onTask: (t) => seen.push(`${t.completedSteps}/${t.status}`),
			timeoutMs: 20_000,
		});
		expect(task).toMatchObject({ status: "complete", completedSteps: 4 });
		expect(seen.at(-1)).toBe("4/complete");
	});

	it("reads the analytics, the DLQ's investigation queue and staleness, and the config", async () => {
		const performance = await client.performanceMetrics({ hours: 1 });
		expect(performance.totalTasks).toBeGreaterThan(0);
		expect(performance.stepDurationPercentiles).toHaveProperty("p95");
		const analysis = await client.bottlenecks({ minExecutions: 1 });
		expect(analysis.slowSteps.length).toBeGreaterThan(0);
		expect(analysis.slowSteps[0]).toHaveProperty("stepName");
		expect(Array.isArray(await client.investigationQueue({ limit: 5 }))).toBe(true);
		expect(Array.isArray(await client.stalenessMonitoring())).toBe(true);
		expect((await client.config()).messaging).toMatchObject({ backend: "cloudflare_queues" });
	});

	it("reports an unknown task as TaskerApiError 404 NOT_FOUND", async () => {
		const error = await client.getTask("01a213c4-5220-71db-b60e-000000000000").catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TaskerApiError);
		expect(error).toMatchObject({
			status: 404,
			code: "NOT_FOUND",
			message: "no task with task_uuid 01a213c4-5220-71db-b60e-000000000000",
		});
	});

	it("returns a broken template's problems, and reads the templates and health", async () => {
		const validation = await client.validateTemplate(
			"name: broken\nnamespace_name: demo\nversion: 1.0.0\nsteps:\n  - name: a\n    dependencies: [b]\n",
		);
		expect(validation.valid).toBe(false);
		if (validation.valid) return;
		expect(validation.problems.length).toBeGreaterThan(0);
		expect(validation.problems.map((p) => p.path).join(" ")).toContain("steps[0]");

		const catalogue = await client.listTemplates();
		expect(catalogue.templates).toContainEqual(expect.objectContaining({ name: "order_processing" }));
		expect(catalogue.totalCount).toBe(catalogue.templates.length);
		const order = catalogue.templates.find((t) => t.name === "order_processing");
		if (!order) throw new Error("order_processing is not registered");
		const template = await client.getTemplate(order.namespace, "order_processing");
		expect(template.steps.map((step) => step.name)).toEqual(SEED_ORDER_STEPS);
		expect(template.steps[0]?.retry.maxAttempts).toBeGreaterThan(0);

		expect(await client.health()).toMatchObject({ status: "healthy" });
		expect(await client.live()).toMatchObject({ status: "alive" });
		expect(await client.ready()).toMatchObject({ status: "ready" });
		expect(await client.healthDetailed()).toMatchObject({ bindings: { tasks: true, stepQueue: true } });
	});
});
