import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { stepExecutionInserts } from "../../src/analytics/analytics-store";
import { dlqInserts } from "../../src/dlq/dlq-store";
import { api, SEED_ORDER_CONTEXT, submitTask, waitForTask } from "./helpers";

async function json<T>(path: string): Promise<T> {
	const response = await api(path);
	expect(response.status, path).toBe(200);
	return (await response.json()) as T;
}

interface Performance {
	total_tasks: number;
	completed_tasks: number;
	step_executions: number;
	completion_rate: number;
	step_duration_percentiles: { p50: number | null; p95: number | null; p99: number | null };
}

describe("the analytics routes, from D1", () => {
	it("count a finished task's steps once each, with durations and percentiles, and name the slowest", async () => {
		const before = await json<Performance>("/v1/analytics/performance?hours=1");
		const task = await submitTask("order_processing", { ...SEED_ORDER_CONTEXT, order_id: "ORD-ANALYTICS-1" });
		await waitForTask(task.task_uuid, (t) => expect(t.status).toBe("complete"));
		const after = await vi.waitFor(
			async () => {
				const p = await json<Performance>("/v1/analytics/performance?hours=1");
				expect(p.step_executions).toBe(before.step_executions + 4);
				return p;
			},
			{ timeout: 5_000, interval: 10 },
		);
		expect(after.completed_tasks).toBe(before.completed_tasks + 1);
		expect(after.completion_rate).toBeGreaterThan(0);
		expect(after.step_duration_percentiles.p50).not.toBeNull();
		const bottlenecks = await json<{
			slow_steps: Array<{ task_name: string; step_name: string; execution_count: number }>;
			slow_tasks: Array<{ task_name: string; average_step_count: number }>;
			resource_utilization: { system_health: Record<string, number> };
		}>("/v1/analytics/bottlenecks?min_executions=1&limit=100");
		const orderSteps = bottlenecks.slow_steps
			.filter((s) => s.task_name === "order_processing")
			.map((s) => s.step_name);
		expect(orderSteps.sort()).toEqual([
			"charge_payment",
			"notify_customer",
			"reserve_inventory",
			"validate_order",
		]);
		expect(bottlenecks.slow_tasks.find((t) => t.task_name === "order_processing")?.average_step_count).toBe(
			4,
		);
		expect(bottlenecks.resource_utilization.system_health.total_tasks).toBeGreaterThan(0);
	});

	it("write each execution once however often a push lands", async () => {
		const db = env.TASK_INDEX;
		const task = {
			taskUuid: "01a00000-0000-7000-8000-00000000aaaa",
			namespace: "x",
			name: "twice",
			version: "1.0.0",
		};
		const executions = Array.from({ length: 23 }, (_, i) => ({
			seq: i + 1,
			stepName: `s${i}`,
			attempt: 1,
			outcome: "complete" as const,
			durationMs: i,
			at: Date.now(),
		}));
		await db.batch(stepExecutionInserts(db, [{ task, executions }]));
		await db.batch(stepExecutionInserts(db, [{ task, executions }]));
		const row = await db
			.prepare("SELECT COUNT(*) AS n FROM step_execution WHERE task_uuid = ?")
			.bind(task.taskUuid)
			.first<{ n: number }>();
		expect(row?.n).toBe(23);
	});

	it("refuse a malformed window", async () => {
		const response = await api("/v1/analytics/performance?hours=-1");
		expect(response.status).toBe(400);
		expect(await response.text()).toContain("hours");
	});
});

describe("the DLQ monitoring routes", () => {
	it("order pending entries by the reference's priority score, and show running tasks against their thresholds", async () => {
		const db = env.TASK_INDEX;
		const now = Date.now();
		const entry = (uuid: string, reason: "staleness_timeout" | "worker_unavailable", minutesAgo: number) => ({
			dlq_entry_uuid: uuid,
			task_uuid: uuid.replace(/^01b/, "01c"),
			namespace: "testing",
			task_name: "monitored",
			original_state: "steps_in_process",
			dlq_reason: reason,
			dlq_timestamp: now - minutesAgo * 60_000,
			task_snapshot: {},
			resolution_status: "pending" as const,
			resolution_notes: null,
			resolved_at: null,
			resolved_by: null,
			metadata: {},
		});
		await db.batch(
			dlqInserts(db, [
				entry("01b00000-0000-7000-8000-000000000001", "worker_unavailable", 10),
				entry("01b00000-0000-7000-8000-000000000002", "staleness_timeout", 1),
			]),
		);
		const queue = await json<
			Array<{ dlq_entry_uuid: string; priority_score: number; minutes_in_dlq: number }>
		>("/v1/dlq/investigation-queue?limit=1000");
		const ours = queue.filter((q) => q.dlq_entry_uuid.startsWith("01b00000"));
		// staleness_timeout 100 + 1 min ranks above worker_unavailable 50 + 10 min.
		expect(ours.map((q) => q.dlq_entry_uuid)).toEqual([
			"01b00000-0000-7000-8000-000000000002",
			"01b00000-0000-7000-8000-000000000001",
		]);
		expect(ours[0]?.priority_score).toBeCloseTo(101, 0);
		expect(queue.map((q) => q.priority_score)).toEqual(
			[...queue.map((q) => q.priority_score)].sort((a, b) => b - a),
		);

		const waiting = await submitTask("retry_twice", {}, "testing");
		await waitForTask(waiting.task_uuid, (t) => expect(t.waiting_for_retry_steps).toBe(1));
		const row = await vi.waitFor(
			async () => {
				const rows = await json<Array<Record<string, unknown>>>("/v1/dlq/staleness?limit=1000");
				const found = rows.find((r) => r.task_uuid === waiting.task_uuid);
				expect(found).toBeDefined();
				return found;
			},
			{ timeout: 5_000, interval: 10 },
		);
		// retry_twice may wait up to 10 min for a retry: its threshold is raised past the 30-minute default.
		expect(row).toMatchObject({
			current_state: "waiting_for_retry",
			health_status: "healthy",
			task_name: "retry_twice",
		});
		expect(Number(row?.staleness_threshold_minutes)).toBeGreaterThanOrEqual(30);
	});
});

describe("GET /config", () => {
	it("shows the settings that are not secret", async () => {
		const config = await json<{
			auth: { enabled: boolean };
			messaging: { backend: string; queues: string[] };
			metadata: { version: string };
		}>("/config");
		expect(config.messaging.backend).toBe("cloudflare_queues");
		expect(config.messaging.queues).toContain("STEP_QUEUE");
		expect(config.metadata.version).toMatch(/^\d+\.\d+\.\d+/);
		expect(typeof config.auth.enabled).toBe("boolean");
	});
});
