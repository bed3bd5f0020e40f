// GET /metrics: counters and histograms kept in D1 from every task object's pushes, each applied once.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { TaskObject } from "../../durable-objects/task-object";
import {
	api,
	fireAlarm,
	rawStub,
	SEED_ORDER_CONTEXT,
	stepsByName,
	submitTask,
	taskStub,
	waitForTask,
} from "./helpers";

async function scrape(): Promise<string> {
	const response = await api("/metrics");
	expect(response.status).toBe(200);
	expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
	return response.text();
}

/** One sample's value (0 when the series does not exist yet). */
function sample(text: string, series: string): number {
	const line = text.split("\n").find((l) => l.startsWith(`${series} `));
	return line ? Number(line.slice(series.length + 1)) : 0;
}

const ORDER = 'namespace="default",task="order_processing"';
const DECLINED = 'namespace="testing",task="card_declined"';

async function metricsLanded(taskUuid: string) {
	await vi.waitFor(
		async () => {
			// The object's own marks: that a push landed is kept in memory until the next staging writes it.
			const pending = await runInDurableObject(rawStub(taskUuid), (instance: TaskObject) => {
				const fleet = instance as unknown as {
					fleet: { marks: { staged: unknown; landed: unknown } | null };
				};
				const marks = fleet.fleet.marks;
				if (marks === null) return "not read yet";
				return marks.staged ?? (marks.landed === null ? "none yet" : null);
			});
			expect(pending).toBeNull();
		},
		{ timeout: 5_000, interval: 10 },
	);
}

describe("GET /metrics", () => {
	it("counts what every task object did: tasks, steps, failures and step durations", async () => {
		const before = await scrape();
		const order = await submitTask("order_processing", SEED_ORDER_CONTEXT);
		const declined = await submitTask("card_declined", {}, "testing");
		await fireAlarm(order.task_uuid);
		await waitForTask(order.task_uuid, (t) => expect(t.status).toBe("complete"));
		await waitForTask(declined.task_uuid, (t) => expect(t.status).toBe("error"));

		await vi.waitFor(
			async () => {
				const after = await scrape();
				const grew = (series: string) => sample(after, series) - sample(before, series);
				expect(grew(`tasker_tasks_created_total{${ORDER}}`)).toBe(1);
				expect(grew(`tasker_tasks_completed_total{${ORDER}}`)).toBe(1);
				expect(grew(`tasker_steps_dispatched_total{${ORDER}}`)).toBe(4);
				expect(grew(`tasker_steps_succeeded_total{${ORDER}}`)).toBe(4);
				expect(grew(`tasker_tasks_failed_total{${DECLINED}}`)).toBe(1);
				expect(grew(`tasker_steps_failed_total{${DECLINED}}`)).toBeGreaterThanOrEqual(1);
				expect(grew(`tasker_step_duration_seconds_count{${ORDER},step="validate_order"}`)).toBe(1);
				expect(grew(`tasker_step_duration_seconds_bucket{${ORDER},step="charge_payment",le="+Inf"}`)).toBe(1);
			},
			{ timeout: 5_000, interval: 20 },
		);
	});

	it("counts a dropped duplicate result once, and a push sent again after a lost reply not at all", async () => {
		const order = await submitTask("order_processing", SEED_ORDER_CONTEXT);
		await fireAlarm(order.task_uuid);
		await waitForTask(order.task_uuid, (t) => expect(t.status).toBe("complete"));
		await metricsLanded(order.task_uuid);
		// The push cost no write of its own: staged with the operation that finished the task, and its
		// landing kept in memory until a next staging writes it (storage still names it staged).
		const stored = await runInDurableObject(rawStub(order.task_uuid), (instance: TaskObject) => {
			const storage = (instance as unknown as { ctx: DurableObjectState }).ctx.storage;
			return storage.sql.exec("SELECT metrics_staged, metrics_landed FROM task").toArray();
		});
		expect(stored).toEqual([{ metrics_staged: expect.stringContaining('"seq":1'), metrics_landed: null }]);
		const before = await scrape();

		const validate = (await stepsByName(order.task_uuid)).validate_order;
		const reply = await taskStub(order.task_uuid).report(validate?.step_uuid ?? "", 1, {
			success: true,
			result: { late: true },
			metadata: {},
			execution_time_ms: 1,
		});
		expect(reply).toMatchObject({ kind: "dropped", reason: "task_finished" });
		await metricsLanded(order.task_uuid);
		const afterDuplicate = await scrape();
		expect(sample(afterDuplicate, `tasker_results_dropped_total{${ORDER}}`)).toBe(
			sample(before, `tasker_results_dropped_total{${ORDER}}`) + 1,
		);

		// As if every push had landed but none of the replies had (and the object restarted, forgetting
		// the marks it keeps in memory): it pushes its whole log again, numbered 1 onwards, and D1 applies
		// none of it.
		const pushed = await runInDurableObject(rawStub(order.task_uuid), (instance: TaskObject) => {
			const storage = (instance as unknown as { ctx: DurableObjectState }).ctx.storage;
			storage.sql.exec("UPDATE task SET metrics_landed = NULL, metrics_staged = NULL");
			// The store's copies of those marks go too (as after a restart): storage is the truth again.
			(instance as unknown as { store: { discard(): void } }).store.discard();
			const fleet = (instance as unknown as { fleet: { sync(): void; marks: unknown } }).fleet;
			fleet.marks = null;
			fleet.sync();
			// The push was staged again: numbered 1, covering the whole log.
			const staged = storage.sql.exec("SELECT metrics_staged FROM task").toArray()[0]?.metrics_staged;
			return typeof staged === "string" ? (JSON.parse(staged) as { seq: number }) : null;
		});
		expect(pushed?.seq).toBe(1);
		await metricsLanded(order.task_uuid);
		expect(await scrape()).toBe(afterDuplicate);
	});
});
