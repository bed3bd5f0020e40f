// One metrics push against the real D1 schema: a table's rows go in as one JSON parameter per statement,
// so a push is a few statements at any size (D1 counts each statement of a batch against its queries per
// invocation); rows add up on conflict, and a push applied once changes nothing again.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { stepExecutionInserts } from "../../src/analytics/analytics-store";
import { DURATION_BUCKETS_MS, type StepDurations } from "../../src/core/metrics-delta";
import type { StepExecution } from "../../src/core/step-executions";
import { metricsPushStatements, readMetrics } from "../../src/metrics/metrics-store";

const BUCKETS = DURATION_BUCKETS_MS.length + 1;

function durationsOf(steps: number, taskSalt: number): StepDurations[] {
	return Array.from({ length: steps }, (_, i) => {
		const buckets = new Array<number>(BUCKETS).fill(0);
		buckets[i % BUCKETS] = i + 1;
		return { step: `step_${String(i).padStart(2, "0")}`, buckets, sumMs: 10 * i + taskSalt, count: i + 1 };
	});
}

describe("metricsPushStatements", () => {
	it("writes twelve steps' histograms in one statement, adds a second task's, and applies a push once", async () => {
		const db = env.TASK_INDEX;
		const task = `push_rows_${crypto.randomUUID().slice(0, 8)}`;
		const push = (taskUuid: string, seq: number, salt: number) =>
			metricsPushStatements(db, [
				{
					taskUuid,
					namespace: "metrics_test",
					task,
					seq,
					delta: {
						counters: { tasks_created: 1, steps_dispatched: 12, steps_succeeded: 12 },
						durations: durationsOf(12, salt),
					},
				},
			]);

		const first = push(crypto.randomUUID(), 1, 0);
		// Counters, the 12 histogram rows, the push row: one statement each.
		expect(first).toHaveLength(3);
		await db.batch(first);
		const second = crypto.randomUUID();
		await db.batch(push(second, 1, 1));
		// The second task's push again (a retry after a lost reply): the guard makes it a no-op.
		await db.batch(push(second, 1, 1));

		const { counters, durations } = await readMetrics(db);
		const ours = (name: string) => counters.find((c) => c.task === task && c.name === name)?.value;
		expect(ours("tasks_created")).toBe(2);
		expect(ours("steps_succeeded")).toBe(24);
		const rows = durations.filter((d) => d.task === task);
		expect(rows.map((d) => d.step)).toEqual(durationsOf(12, 0).map((d) => d.step));
		const step7 = rows.find((d) => d.step === "step_07");
		expect(step7?.count).toBe(16);
		expect(step7?.sumMs).toBe(70 + 71);
		expect(step7?.buckets[7]).toBe(16);
		expect(step7?.buckets.reduce((a, b) => a + b, 0)).toBe(16);
	});

	it("pushes a task of 5,000 steps in a few statements, each row once, and the same push again changes nothing", async () => {
		const db = env.TASK_INDEX;
		const task = `push_big_${crypto.randomUUID().slice(0, 8)}`;
		const taskUuid = crypto.randomUUID();
		const steps = 5_000;
		const push = () =>
			metricsPushStatements(db, [
				{
					taskUuid,
					namespace: "metrics_test",
					task,
					seq: 1,
					delta: { counters: { steps_succeeded: steps }, durations: durationsOf(steps, 0) },
				},
			]);
		const executions: StepExecution[] = Array.from({ length: steps }, (_, i) => ({
			seq: i + 1,
			stepName: `step_${i}`,
			attempt: 1,
			outcome: "complete",
			durationMs: i % 7,
			at: 1_700_000_000_000 + i,
		}));
		const identity = { taskUuid, namespace: "metrics_test", name: task, version: "1.0.0" };
		const statements = [...push(), ...stepExecutionInserts(db, [{ task: identity, executions }])];
		// Before, one statement per 5 histogram rows and per 10 executions: 1,502 statements, past D1's
		// 1,000 queries per invocation on the paid plan (50 on the free one), so the push never landed.
		expect(statements.length).toBeLessThanOrEqual(6);
		await db.batch(statements);
		await db.batch([...push(), ...stepExecutionInserts(db, [{ task: identity, executions }])]);

		const { counters, durations } = await readMetrics(db);
		expect(counters.find((c) => c.task === task && c.name === "steps_succeeded")?.value).toBe(steps);
		const rows = durations.filter((d) => d.task === task);
		expect(rows).toHaveLength(steps);
		const step4321 = rows.find((d) => d.step === "step_4321");
		expect(step4321).toMatchObject({ count: 4322, sumMs: 43_210 });
		expect(step4321?.buckets[4321 % BUCKETS]).toBe(4322);
		const stored = await db
			.prepare("SELECT COUNT(*) AS n, SUM(duration_ms) AS total FROM step_execution WHERE task_uuid = ?")
			.bind(taskUuid)
			.first<{ n: number; total: number }>();
		expect(stored?.n).toBe(steps);
		expect(stored?.total).toBe(executions.reduce((sum, e) => sum + e.durationMs, 0));
		const one = await db
			.prepare("SELECT step_name, attempt, outcome, at FROM step_execution WHERE task_uuid = ? AND seq = 17")
			.bind(taskUuid)
			.first();
		expect(one).toEqual({ step_name: "step_16", attempt: 1, outcome: "complete", at: 1_700_000_000_016 });
	});
});
