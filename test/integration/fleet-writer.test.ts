// The fleet writers against the real D1 schema: many tasks' pushes in one batch of a few statements,
// each counted once however often it arrives, and the writer object batching pushes sent together.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { FleetWriter } from "../../durable-objects/fleet-writer";
import type { DlqEntry } from "../../src/core/dlq-entry";
import { DURATION_BUCKETS_MS } from "../../src/core/metrics-delta";
import { applyFleetPushes, type FleetPush, fleetPushStatements } from "../../src/fleet/fleet-push";
import type { FleetWriterApi } from "../../src/fleet/fleet-writer-stub";
import { readMetrics } from "../../src/metrics/metrics-store";
import { unavailable } from "./helpers";

/** A push of a task of `steps` steps at its end: its row, its metrics (push `seq`), its executions. */
function endPush(
	taskUuid: string,
	task: string,
	options: { seq?: number; status?: string; updatedAt?: number } = {},
) {
	const seq = options.seq ?? 1;
	const steps = 3;
	const push: FleetPush = {
		task: { taskUuid, namespace: "fleet_test", name: task, version: "1.0.0" },
		dlqEntries: [],
		indexRow: {
			task_uuid: taskUuid,
			name: task,
			namespace: "fleet_test",
			version: "1.0.0",
			status: options.status ?? "complete",
			initiator: "vitest",
			source_system: "fleet-writer.test",
			reason: "fleet",
			priority: 0,
			correlation_id: taskUuid,
			created_at: 1_700_000_000_000,
			updated_at: options.updatedAt ?? 1_700_000_001_000,
			completed_at: null,
		},
		metrics: {
			seq,
			delta: {
				counters: { tasks_completed: 1, steps_succeeded: steps },
				durations: Array.from({ length: steps }, (_, i) => ({
					step: `step_${i}`,
					buckets: Array.from({ length: DURATION_BUCKETS_MS.length + 1 }, (_, b) => (b === 0 ? 1 : 0)),
					sumMs: 2,
					count: 1,
				})),
			},
		},
		executions: Array.from({ length: steps }, (_, i) => ({
			seq: 10 * seq + i,
			stepName: `step_${i}`,
			attempt: 1,
			outcome: "complete" as const,
			durationMs: 2,
			at: 1_700_000_000_500 + i,
		})),
	};
	return push;
}

function dlqEntry(taskUuid: string): DlqEntry {
	return {
		dlq_entry_uuid: crypto.randomUUID(),
		task_uuid: taskUuid,
		namespace: "fleet_test",
		task_name: "with_dlq",
		original_state: "steps_in_process",
		dlq_reason: "staleness_timeout",
		dlq_timestamp: 1_700_000_002_000,
		task_snapshot: { counts: { error: 1 }, note: 'quoted "text"' },
		resolution_status: "pending",
		resolution_notes: null,
		resolved_at: null,
		resolved_by: null,
		metadata: { threshold_minutes: 60 },
	};
}

async function counter(task: string, name: string) {
	const { counters } = await readMetrics(env.TASK_INDEX);
	return counters.find((c) => c.task === task && c.name === name)?.value;
}

async function indexed(taskUuid: string) {
	return env.TASK_INDEX.prepare("SELECT status, updated_at FROM task_index WHERE task_uuid = ?")
		.bind(taskUuid)
		.first<{ status: string; updated_at: number }>();
}

describe("fleet pushes", () => {
	it("applies fifty tasks' pushes in one batch of a few statements, every row of every table, each metric row written once", async () => {
		const task = `fleet_many_${crypto.randomUUID().slice(0, 8)}`;
		const pushes = Array.from({ length: 50 }, () => endPush(crypto.randomUUID(), task));
		const withDlq = pushes[7] as FleetPush;
		const entry = dlqEntry(withDlq.task.taskUuid);
		withDlq.dlqEntries.push(entry);

		const statements = fleetPushStatements(env.TASK_INDEX, pushes);
		// DLQ, index, counters, histograms, push marks, executions: one statement each.
		expect(statements).toHaveLength(6);
		const results = await env.TASK_INDEX.batch(statements);
		// The fifty pushes' counters (2 each) and histogram rows (3 each) are summed before the upsert: each
		// metric row is written once, where adding push by push wrote 100 and 150.
		expect(results[2]?.meta.rows_written).toBeLessThanOrEqual(4);
		expect(results[3]?.meta.rows_written).toBeLessThanOrEqual(6);

		expect(await counter(task, "tasks_completed")).toBe(50);
		expect(await counter(task, "steps_succeeded")).toBe(150);
		for (const push of pushes) expect((await indexed(push.task.taskUuid))?.status).toBe("complete");
		const executions = await env.TASK_INDEX.prepare(
			"SELECT COUNT(*) AS n FROM step_execution WHERE task_name = ?",
		)
			.bind(task)
			.first<{ n: number }>();
		expect(executions?.n).toBe(150);
		const stored = await env.TASK_INDEX.prepare("SELECT * FROM dlq_entry WHERE dlq_entry_uuid = ?")
			.bind(entry.dlq_entry_uuid)
			.first<Record<string, unknown>>();
		expect(stored).toMatchObject({
			task_uuid: entry.task_uuid,
			dlq_reason: "staleness_timeout",
			resolved_at: null,
		});
		expect(JSON.parse(String(stored?.task_snapshot))).toEqual(entry.task_snapshot);
		expect(JSON.parse(String(stored?.metadata))).toEqual(entry.metadata);
	});

	it("counts a push once however often it arrives; a task's next push in the same batch counts too", async () => {
		const task = `fleet_once_${crypto.randomUUID().slice(0, 8)}`;
		const taskUuid = crypto.randomUUID();
		const first = endPush(taskUuid, task, {
			seq: 1,
			status: "steps_in_process",
			updatedAt: 1_700_000_000_100,
		});
		const second = endPush(taskUuid, task, { seq: 2, status: "complete", updatedAt: 1_700_000_000_200 });
		// The first push twice in one batch (a retry meeting its first attempt), then the second.
		await applyFleetPushes(env.TASK_INDEX, [first, first, second]);
		expect(await counter(task, "tasks_completed")).toBe(2);
		// Both again, the older row last: nothing counts twice and the row keeps the newer status.
		await applyFleetPushes(env.TASK_INDEX, [second, first]);
		expect(await counter(task, "tasks_completed")).toBe(2);
		expect(await counter(task, "steps_succeeded")).toBe(6);
		expect(await indexed(taskUuid)).toEqual({ status: "complete", updated_at: 1_700_000_000_200 });
	});
});

describe("the fleet writer object", () => {
	function writerNamed(name: string) {
		return env.FLEET_WRITERS.get(env.FLEET_WRITERS.idFromName(name));
	}

	it("writes pushes sent together in fewer D1 batches than pushes, and each lands", async () => {
		const stub = writerNamed(`fleet-writer-test-${crypto.randomUUID()}`);
		const batches = { count: 0 };
		await runInDurableObject(stub, (instance: FleetWriter) => {
			const swappable = instance as unknown as { env: Env };
			const real = swappable.env.TASK_INDEX;
			swappable.env = {
				...swappable.env,
				TASK_INDEX: {
					prepare: (query: string) => real.prepare(query),
					batch: (statements: D1PreparedStatement[]) => {
						batches.count += 1;
						return real.batch(statements);
					},
				} as unknown as D1Database,
			};
		});
		const task = `fleet_writer_${crypto.randomUUID().slice(0, 8)}`;
		const pushes = Array.from({ length: 20 }, () => endPush(crypto.randomUUID(), task));
		const writer = stub as unknown as FleetWriterApi;
		const outcomes = await Promise.all(pushes.map((push) => writer.push(push)));
		expect(outcomes).toEqual(pushes.map(() => ({ landed: true })));
		expect(batches.count).toBeGreaterThanOrEqual(1);
		expect(batches.count).toBeLessThan(pushes.length);
		expect(await counter(task, "tasks_completed")).toBe(20);
	});

	it("answers that a push its D1 refused did not land, so that the task object tries again", async () => {
		const stub = writerNamed(`fleet-writer-test-${crypto.randomUUID()}`);
		await runInDurableObject(stub, (instance: FleetWriter) => {
			const swappable = instance as unknown as { env: Env };
			swappable.env = { ...swappable.env, TASK_INDEX: unavailable<D1Database>("D1 unavailable") };
		});
		const task = `fleet_refused_${crypto.randomUUID().slice(0, 8)}`;
		const outcome = await (stub as unknown as FleetWriterApi).push(endPush(crypto.randomUUID(), task));
		expect(outcome).toEqual({ landed: false, error: "Error: D1 unavailable" });
		expect(await counter(task, "tasks_completed")).toBeUndefined();
	});
});
