// The getting-started guide's Python, unmodified, against `wrangler dev` started as `npm run dev:python`
// starts it (the `default` namespace served by pull workers): the Python worker serves the guide's four
// handlers from examples/python-seed/handlers.py, and the guide's client snippet submits the order. A
// worker killed (SIGKILL) mid-step loses nothing: after its lease, the step is delivered to another
// worker and completes exactly once.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../scripts/lib/dev-server";
import { PROJECT_ROOT } from "../../scripts/lib/load-project";
import { SEED_ORDER_CONTEXT } from "../../scripts/lib/seed-order";

const PYTHON_PATH = join(PROJECT_ROOT, "python");
const GUIDE_HANDLERS = "examples/python-seed/handlers.py";
const GUIDE_CLIENT = "examples/python-seed/create_order.py";
const STALLING_HANDLERS = "test/e2e/python/stalling_handlers.py";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Json = Record<string, unknown>;
interface StepRow {
	step_uuid: string;
	name: string;
	current_state: string;
	attempts: number;
	results: { result: Json } | null;
}

/** `npm run dev:python`'s own arguments after `wrangler dev`, so that the test runs what users run. */
function devPythonArgs(): string[] {
	const scripts = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")).scripts as Record<
		string,
		string
	>;
	// The script migrates the local D1 first (`npm run db:migrate:local && tsx scripts/dev.ts ...`), which the
	// dev server helper does itself; scripts/dev.ts hands its arguments to `wrangler dev`.
	const command = (scripts["dev:python"] ?? "").split("&&").at(-1) ?? "";
	const [tsx, launcher, ...args] = command.trim().split(/\s+/);
	expect([tsx, launcher]).toEqual(["tsx", "scripts/dev.ts"]);
	return args;
}

interface Worker {
	process: ChildProcess;
	output(): string;
}

function startWorker(url: string, source: string, extra: string[] = []): Worker {
	const child = spawn(
		"python3",
		["-m", "tasker_core", "worker", "--url", url, "--namespace", "default", ...extra, source],
		{
			cwd: PROJECT_ROOT,
			env: { ...process.env, PYTHONPATH: PYTHON_PATH },
			stdio: ["ignore", "pipe", "pipe"],
		},
	);
	let output = "";
	child.stdout?.on("data", (chunk: Buffer) => {
		output += chunk.toString();
	});
	child.stderr?.on("data", (chunk: Buffer) => {
		output += chunk.toString();
	});
	return { process: child, output: () => output };
}

async function until<T>(
	what: string,
	check: () => T | Promise<T>,
	timeoutMs = 20_000,
): Promise<NonNullable<T>> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value as NonNullable<T>;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

function exited(child: ChildProcess): Promise<number | null> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
	return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("the guide's Python on npm run dev:python", () => {
	let server: DevServer;
	let stateDir = "";
	const workers: Worker[] = [];

	beforeAll(async () => {
		// Its own state: the guide's order is deduplicated by content, so it must be new here.
		stateDir = await mkdtemp(join(tmpdir(), "tasker-python-seed-"));
		server = await startDevServer({ extraArgs: devPythonArgs(), persistTo: stateDir });
	}, 90_000);

	afterAll(async () => {
		for (const worker of workers) if (worker.process.exitCode === null) worker.process.kill("SIGKILL");
		await server?.stop();
		if (stateDir) await rm(stateDir, { recursive: true, force: true });
	});

	async function call(path: string, init?: RequestInit): Promise<Json | StepRow[]> {
		const response = await fetch(`${server.url}${path}`, init);
		return (await response.json()) as Json | StepRow[];
	}

	async function finished(taskUuid: string): Promise<Json> {
		return until(`task ${taskUuid} to finish`, async () => {
			const task = (await call(`/v1/tasks/${taskUuid}?wait_seconds=5`)) as Json;
			return ["complete", "error", "cancelled"].includes(String(task.status)) ? task : null;
		});
	}

	async function steps(taskUuid: string): Promise<Record<string, StepRow>> {
		const rows = (await call(`/v1/tasks/${taskUuid}/workflow_steps`)) as StepRow[];
		return Object.fromEntries(rows.map((row) => [row.name, row]));
	}

	it("serves the guide's handlers, runs its client snippet, and survives a worker killed mid-step", async () => {
		const ready = (await call("/health/ready")) as { checks: { namespace_queues: { routes: Json } } };
		expect(ready.checks.namespace_queues.routes).toMatchObject({ default: "(pull workers)" });

		// A worker that stalls in validate_order, with a short lease; killed once it is running it.
		const doomed = startWorker(server.url, STALLING_HANDLERS, ["--lease-seconds", "2"]);
		workers.push(doomed);
		const killedOrder = { ...SEED_ORDER_CONTEXT, order_id: `ORD-KILLED-${randomUUID()}` };
		const submitted = (await call("/v1/tasks", {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({
				name: "order_processing",
				context: killedOrder,
				initiator: "e2e",
				source_system: "e2e",
				reason: "a worker dies mid-step",
			}),
		})) as { task_uuid: string };
		await until("the doomed worker to start validate_order", () =>
			doomed.output().includes(`stalling in validate_order of ${submitted.task_uuid}`),
		);
		doomed.process.kill("SIGKILL");
		await exited(doomed.process);

		// The guide's handlers, unmodified, in a worker of their own.
		const worker = startWorker(server.url, GUIDE_HANDLERS);
		workers.push(worker);

		// The guide's client snippet, unmodified.
		const { stdout } = await promisify(execFile)("python3", [GUIDE_CLIENT], {
			cwd: PROJECT_ROOT,
			env: { ...process.env, PYTHONPATH: PYTHON_PATH, TASKER_URL: server.url },
		});
		const match = /^Task created: (\S+)\n$/.exec(stdout);
		expect(match?.[1]).toMatch(UUID);
		const taskUuid = match?.[1] ?? "";

		const task = await finished(taskUuid);
		expect(task).toMatchObject({
			status: "complete",
			name: "order_processing",
			initiator: "api:checkout",
			source_system: "tasker-core",
			reason: "New order received",
		});
		const order = await steps(taskUuid);
		expect(order.charge_payment?.results?.result).toEqual({
			charged: true,
			amount: 109.97,
			transaction_id: "TXN-67890",
		});
		expect(order.notify_customer?.results?.result).toEqual({ notified: true, email: "customer@example.com" });
		for (const name of ["validate_order", "reserve_inventory", "notify_customer", "charge_payment"]) {
			expect(order[name]).toMatchObject({ current_state: "complete", attempts: 1 });
		}

		// The killed worker's step: delivered again after its lease, the same attempt, completed once.
		const survived = await finished(submitted.task_uuid);
		expect(survived.status).toBe("complete");
		const killed = await steps(submitted.task_uuid);
		expect(killed.validate_order).toMatchObject({ current_state: "complete", attempts: 1 });
		expect(killed.charge_payment?.results?.result).toMatchObject({ amount: 109.97 });
		const audit = (await call(
			`/v1/tasks/${submitted.task_uuid}/workflow_steps/${killed.validate_order?.step_uuid}/audit`,
		)) as unknown as Array<{ to_state: string; metadata: Json | null }>;
		expect(audit.filter((t) => t.to_state === "complete")).toHaveLength(1);
		// Claimed by the doomed worker, then again after its lease: at least twice (the dead worker's
		// poll may still be held by the server, and take one more lease that also runs out).
		const claims = audit.filter((t) => t.to_state === "in_progress");
		expect(claims.length, JSON.stringify(audit)).toBeGreaterThanOrEqual(2);
		expect(audit.some((t) => t.metadata?.redelivered === true)).toBe(true);

		// One log line per step, and a clean stop on SIGTERM.
		expect(worker.output()).toMatch(
			/step\.succeeded task=\S+ step=charge_payment handler=ChargePaymentHandler/,
		);
		worker.process.kill("SIGTERM");
		expect(await exited(worker.process)).toBe(0);
		expect(worker.output()).toContain("worker.stopped");
	}, 60_000);

	// Found by probing: a worker stopped with Ctrl-C left its long poll held by the server, which leased the
	// next step to it, gone; the step waited out its 30 s lease. A stopping worker now leaves.
	it("a worker stopped with Ctrl-C takes no step with it: the next order runs on the next worker at once", async () => {
		const first = startWorker(server.url, GUIDE_HANDLERS, ["--wait-seconds", "20"]);
		workers.push(first);
		await until("the first worker to start", () => first.output().includes("worker.started"));
		// Its first poll is sent at start and held by the server within a moment.
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		first.process.kill("SIGINT");
		expect(await exited(first.process)).toBe(0);
		expect(first.output()).not.toContain("leave_failed");

		const second = startWorker(server.url, GUIDE_HANDLERS);
		workers.push(second);
		const started = Date.now();
		const submitted = (await call("/v1/tasks", {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({
				name: "order_processing",
				context: { ...SEED_ORDER_CONTEXT, order_id: `ORD-RESTART-${randomUUID()}` },
				initiator: "e2e",
				source_system: "e2e",
				reason: "a worker restarted",
			}),
		})) as { task_uuid: string };
		expect((await finished(submitted.task_uuid)).status).toBe("complete");
		// Well under the 30 s lease a step leased to the stopped worker would have waited out.
		expect(Date.now() - started).toBeLessThan(10_000);
		const order = await steps(submitted.task_uuid);
		const audit = (await call(
			`/v1/tasks/${submitted.task_uuid}/workflow_steps/${order.validate_order?.step_uuid}/audit`,
		)) as unknown as Array<{ to_state: string }>;
		expect(
			audit.filter((t) => t.to_state === "in_progress"),
			JSON.stringify(audit),
		).toHaveLength(1);
		second.process.kill("SIGTERM");
		expect(await exited(second.process)).toBe(0);
	}, 60_000);
});
