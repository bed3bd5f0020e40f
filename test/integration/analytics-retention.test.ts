// Analytics retention: step executions older than the setting go, oldest first, in bounded batches,
// by the index on `at` (no full scan); newer ones stay; a bad setting deletes nothing.

import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
	DEFAULT_RETENTION_DAYS,
	pruneAnalytics,
	pruneStepExecutions,
	retentionDays,
} from "../../src/analytics/analytics-retention";
import { stepExecutionInserts } from "../../src/analytics/analytics-store";
import worker from "../../worker";

const DAY = 86_400_000;
const NOW = Date.parse("2026-06-01T03:17:00Z");

/** Rows of one task, one per `ageDays`, recorded that many days before NOW. */
async function seed(taskUuid: string, ageDays: readonly number[]): Promise<void> {
	const db = env.TASK_INDEX;
	const task = { taskUuid, namespace: "retention", name: "kept_or_not", version: "1.0.0" };
	const executions = ageDays.map((age, i) => ({
		seq: i + 1,
		stepName: `s${i}`,
		attempt: 1,
		outcome: "complete" as const,
		durationMs: 1,
		at: NOW - age * DAY,
	}));
	await db.batch(stepExecutionInserts(db, [{ task, executions }]));
}

async function ages(taskUuid: string): Promise<number[]> {
	const { results } = await env.TASK_INDEX.prepare(
		"SELECT at FROM step_execution WHERE task_uuid = ? ORDER BY at",
	)
		.bind(taskUuid)
		.all<{ at: number }>();
	return results.map((r) => Math.round((NOW - r.at) / DAY)).sort((a, b) => a - b);
}

describe("analytics retention", () => {
	it("reads the setting: default 30 days, 0 for ever, anything else refused by name", () => {
		expect(retentionDays(undefined)).toEqual({ days: DEFAULT_RETENTION_DAYS });
		expect(retentionDays("7")).toEqual({ days: 7 });
		expect(retentionDays(0)).toEqual({ days: 0 });
		for (const bad of ["-1", "1.5", "a week", true]) {
			const setting = retentionDays(bad);
			expect(setting).toHaveProperty("problem");
			expect((setting as { problem: string }).problem).toContain("TASKER_ANALYTICS_RETENTION_DAYS");
		}
	});

	it("deletes the rows older than the retention, in batches, and keeps the rest", async () => {
		const uuid = "01a00000-0000-7000-8000-0000000re701";
		await seed(uuid, [1, 5, 29, 31, 40, 45, 60, 90, 365]);
		const result = await pruneStepExecutions(env.TASK_INDEX, { now: NOW, days: 30, batchRows: 2 });
		expect(result).toEqual({ deleted: 6, more: false, cutoff: NOW - 30 * DAY });
		expect(await ages(uuid)).toEqual([1, 5, 29]);
		// A second run finds nothing due.
		expect((await pruneStepExecutions(env.TASK_INDEX, { now: NOW, days: 30 })).deleted).toBe(0);
	});

	it("stops at its batch bound and says more is due; the next run goes on", async () => {
		const uuid = "01a00000-0000-7000-8000-0000000re702";
		await seed(uuid, [100, 101, 102, 103, 104, 2]);
		const first = await pruneStepExecutions(env.TASK_INDEX, {
			now: NOW,
			days: 30,
			batchRows: 2,
			maxBatches: 1,
		});
		expect(first).toMatchObject({ deleted: 2, more: true });
		// Oldest first.
		expect(await ages(uuid)).toEqual([2, 100, 101, 102]);
		const second = await pruneStepExecutions(env.TASK_INDEX, { now: NOW, days: 30, batchRows: 2 });
		expect(second).toMatchObject({ deleted: 3, more: false });
		expect(await ages(uuid)).toEqual([2]);
	});

	it("finds the rows due by the index on `at`, not by scanning the table", async () => {
		const { results } = await env.TASK_INDEX.prepare(
			"EXPLAIN QUERY PLAN SELECT rowid FROM step_execution WHERE at < ? ORDER BY at LIMIT ?",
		)
			.bind(NOW, 10)
			.all<{ detail: string }>();
		const plan = results.map((r) => r.detail).join(" | ");
		expect(plan).toContain("step_execution_by_at");
		expect(plan).not.toMatch(/SCAN step_execution(?! USING)/);
	});

	it("runs from the Worker's scheduled handler with the setting, and a bad setting deletes nothing", async () => {
		const uuid = "01a00000-0000-7000-8000-0000000re703";
		await seed(uuid, [3, 8, 12]);
		const controller = createScheduledController({ scheduledTime: NOW, cron: "17 3 * * *" });
		await worker.scheduled(controller, { ...env, TASKER_ANALYTICS_RETENTION_DAYS: "a fortnight" } as Env);
		expect(await ages(uuid)).toEqual([3, 8, 12]);
		expect(await pruneAnalytics({ ...env, TASKER_ANALYTICS_RETENTION_DAYS: "0" } as Env, NOW)).toMatchObject({
			deleted: 0,
		});
		await worker.scheduled(controller, { ...env, TASKER_ANALYTICS_RETENTION_DAYS: "10" } as Env);
		expect(await ages(uuid)).toEqual([3, 8]);
	});
});
