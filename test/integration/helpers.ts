// Shared moves of the integration tests: submit over HTTP, reach the task object, wait for a state.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { v7 as uuidv7 } from "uuid";
import { expect, vi } from "vitest";
import type { TaskObject } from "../../durable-objects/task-object";
import { SEED_ORDER_CONTEXT } from "../../scripts/lib/seed-order";
import type { TaskView } from "../../src/core/task-views";
import { templates } from "../../src/generated/registry";
import { taskObject } from "../../src/task-object-stub";

export { SEED_ORDER_CONTEXT };

export function api(path: string, init: RequestInit = {}): Promise<Response> {
	return exports.default.fetch(new Request(`https://tasker.test${path}`, init));
}

export function postJson(path: string, body: unknown): Promise<Response> {
	return api(path, {
		method: "POST",
		headers: { "content-type": "application/json" },
		body: typeof body === "string" ? body : JSON.stringify(body),
	});
}

/**
 * Submits a new task. Each call is a distinct submission (its own idempotency_key), so tests may
 * submit the same context again and get another task; deduplication is tested in identity.test.ts.
 */
export async function submitTask(name: string, context: Record<string, unknown>, namespace = "default") {
	const response = await postJson("/v1/tasks", {
		name,
		namespace,
		context,
		initiator: "test:integration",
		source_system: "vitest",
		reason: "integration test",
		idempotency_key: `test-${crypto.randomUUID()}`,
	});
	expect(response.status).toBe(201);
	return (await response.json()) as TaskView;
}

export function taskStub(taskUuid: string) {
	return taskObject(env, taskUuid);
}

/** The raw Durable Object stub, for the test helpers that need one (alarms, runInDurableObject). */
export function rawStub(taskUuid: string) {
	return env.TASKS.get(env.TASKS.idFromName(taskUuid));
}

/** Fires the task's alarm now, if one is scheduled (never a sleep: the alarm runs at once). */
export function fireAlarm(taskUuid: string): Promise<boolean> {
	return runDurableObjectAlarm(rawStub(taskUuid));
}

/**
 * Fires alarm passes until `done` holds. The earliest alarm may be the outbox's safety net (armed
 * with every dispatch, a few seconds out), which finds nothing due and re-arms for the next real
 * work, so reaching a retry can take two passes; and an alarm may already be running on its own
 * (none is then scheduled). So: check, fire whatever is scheduled, check again, until done.
 */
export async function fireAlarmsUntil(
	taskUuid: string,
	done: () => Promise<boolean>,
	timeout = 10_000,
	options: { whileIdle?: boolean } = {},
) {
	let passes = 0;
	await vi.waitFor(
		async () => {
			if (await done()) return;
			if ((!options.whileIdle || (await isIdle(taskUuid))) && (await fireAlarm(taskUuid))) passes += 1;
			if (!(await done())) throw new Error(`not done after ${passes} alarm pass(es)`);
		},
		{ timeout, interval: 5 },
	);
	return passes;
}

/**
 * No step of the task is on its way (sent or running). A pass runs at its alarm's scheduled time, so one
 * fired while a step runs may be that attempt's deadline, brought forward: a test that only needs the
 * retries' alarms (`whileIdle`) leaves a running step to its own report.
 */
async function isIdle(taskUuid: string): Promise<boolean> {
	const task = await taskStub(taskUuid).getTask();
	return task !== null && task.ready_steps + task.in_progress_steps === 0;
}

/** Polls the task object (queue deliveries are asynchronous) until `check` passes. */
export async function waitForTask(taskUuid: string, check: (task: TaskView) => void, timeout = 10_000) {
	return vi.waitFor(
		async () => {
			const task = await taskStub(taskUuid).getTask();
			if (!task) throw new Error("no task");
			check(task);
			return task;
		},
		{ timeout, interval: 5 },
	);
}

export async function stepsByName(taskUuid: string) {
	const steps = await taskStub(taskUuid).listSteps();
	if (!steps) throw new Error("no task");
	return Object.fromEntries(steps.map((step) => [step.name, step]));
}

/** Something whose every method throws `message`, standing in for a binding in an outage. */
export function unavailable<T>(message: string): T {
	return new Proxy(
		{},
		{
			get: () => () => {
				throw new Error(message);
			},
		},
	) as T;
}

/**
 * Creates a seed order (with its own order_id) straight in its task object, with the object's bindings
 * replaced by `replace` from the very start, before any alarm could run; `restore` puts the real ones back.
 */
export async function createSeedOrderWithEnv(replace: (env: Env) => Env, reason = "replaced bindings") {
	const taskUuid = uuidv7();
	const stub = rawStub(taskUuid);
	const template = templates.find((t) => t.name === "order_processing");
	if (!template) throw new Error("the seed's template is not registered");
	type Swappable = { env: Env };
	const original = await runInDurableObject(stub, async (instance: TaskObject) => {
		const swappable = instance as unknown as Swappable;
		const real = swappable.env;
		swappable.env = replace(real);
		await instance.create({
			taskUuid,
			template,
			context: { ...SEED_ORDER_CONTEXT, order_id: `ORD-${taskUuid}` },
			initiator: "test",
			sourceSystem: "vitest",
			reason,
			tags: [],
			priority: 0,
			correlationId: taskUuid,
			parentCorrelationId: null,
		});
		return real;
	});
	const restore = () =>
		runInDurableObject(stub, (instance: TaskObject) => {
			(instance as unknown as Swappable).env = original;
		});
	return { taskUuid, restore };
}

/** createSeedOrderWithEnv with one binding replaced. */
export function createSeedOrderWith<Name extends keyof Env>(binding: Name, replacement: Env[Name]) {
	return createSeedOrderWithEnv((env) => ({ ...env, [binding]: replacement }), `${String(binding)} outage`);
}
