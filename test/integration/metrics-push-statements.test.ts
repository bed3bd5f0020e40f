// One metrics push against the real D1 schema: rows of a table go in as few statements as D1's
// 100-parameter limit allows, add up on conflict, and a push applied once changes nothing again.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DURATION_BUCKETS_MS, type StepDurations } from "../../src/core/metrics-delta";
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
	it("writes twelve steps' histograms in three statements, adds a second task's, and applies a push once", async () => {
		const db = env.TASK_INDEX;
		const task = `push_rows_${crypto.randomUUID().slice(0, 8)}`;
		const push = (taskUuid: string, seq: number, salt: number) =>
			metricsPushStatements(db, {
				taskUuid,
				namespace: "metrics_test",
				task,
				seq,
				delta: {
					counters: { tasks_created: 1, steps_dispatched: 12, steps_succeeded: 12 },
					durations: durationsOf(12, salt),
				},
			});

		const first = push(crypto.randomUUID(), 1, 0);
		// Counters: one statement; 12 histogram rows of 19 values each, 5 to a statement: three; the push row.
		expect(first).toHaveLength(1 + 3 + 1);
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
});
