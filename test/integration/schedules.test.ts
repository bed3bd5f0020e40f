// Schedules in the real Workers runtime: a schedule object drives itself by alarm (fired by the test
// with runDurableObjectAlarm, never a sleep), each run submits its task exactly once per due time
// however often the alarm fires, and overlap `skip` starts nothing while the previous run is active.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ScheduleDetailView, ScheduleRunView, ScheduleView } from "../../src/schedules/schedule-records";
import { api, postJson, waitForTask } from "./helpers";

function stubOf(scheduleId: string) {
	return env.SCHEDULES.get(env.SCHEDULES.idFromName(scheduleId));
}

async function createSchedule(body: Record<string, unknown>): Promise<ScheduleView> {
	const response = await postJson("/v1/schedules", body);
	expect(response.status, await response.clone().text()).toBe(201);
	return (await response.json()) as ScheduleView;
}

async function readSchedule(scheduleId: string): Promise<ScheduleDetailView> {
	const response = await api(`/v1/schedules/${scheduleId}`);
	expect(response.status).toBe(200);
	return (await response.json()) as ScheduleDetailView;
}

async function trigger(scheduleId: string, body?: unknown): Promise<ScheduleRunView> {
	const response =
		body === undefined
			? await api(`/v1/schedules/${scheduleId}/trigger`, { method: "POST" })
			: await postJson(`/v1/schedules/${scheduleId}/trigger`, body);
	expect(response.status, await response.clone().text()).toBe(201);
	return (await response.json()) as ScheduleRunView;
}

const echo = { namespace: "testing", name: "identity_always_unique", context: { n: 1 } };

describe("a schedule driven by its alarm", () => {
	it("starts one task per due time, even when the alarm fires twice for it", async () => {
		const schedule = await createSchedule({ ...echo, cron: "*/5 * * * *" });
		expect(schedule).toMatchObject({ overlap: "skip", catch_up: "latest", paused: false, timezone: "UTC" });
		const due = Date.parse(schedule.next_run_at ?? "");
		expect(due % 300_000).toBe(0);

		// The alarm acts as of its own time, so firing it now runs the due time it was set for.
		expect(await runDurableObjectAlarm(stubOf(schedule.schedule_id))).toBe(true);
		const first = await readSchedule(schedule.schedule_id);
		expect(first.last_runs).toHaveLength(1);
		const [run] = first.last_runs;
		expect(run).toMatchObject({ kind: "scheduled", state: "started", due_at: new Date(due).toISOString() });
		expect(first.next_run_at).toBe(new Date(due + 300_000).toISOString());

		// The same alarm delivered again (at-least-once): the cursor has moved past its due time.
		await runInDurableObject(
			stubOf(schedule.schedule_id),
			async (instance: { alarm(): Promise<void> }, state) => {
				state.storage.sql.exec("UPDATE schedule_alarm SET at = ?", due);
				await instance.alarm();
			},
		);
		expect((await readSchedule(schedule.schedule_id)).last_runs).toHaveLength(1);

		// A crash after the run was saved but before its task was recorded: the next pass submits it
		// again under the same key, which answers the same task, not a second one.
		await runInDurableObject(
			stubOf(schedule.schedule_id),
			async (instance: { alarm(): Promise<void> }, state) => {
				state.storage.sql.exec("UPDATE schedule_run SET state = 'pending', task_uuid = NULL");
				state.storage.sql.exec("UPDATE schedule_alarm SET at = ?", due);
				await instance.alarm();
			},
		);
		const again = await readSchedule(schedule.schedule_id);
		expect(again.last_runs).toHaveLength(1);
		expect(again.last_runs[0]).toMatchObject({ state: "started", task_uuid: run?.task_uuid });
		expect(again.runs.started).toBe(2); // counted per submission pass; the task is one
		await waitForTask(run?.task_uuid ?? "", (task) => expect(task.status).toBe("complete"));
	});

	it("catches up after downtime as its policy says, bounded", async () => {
		for (const [catchUp, expected] of [
			["none", 0],
			["latest", 1],
			["all", 10],
		] as const) {
			// Hourly, at a minute half an hour from now: its latest due time is long past any grace.
			const minute = (new Date().getUTCMinutes() + 30) % 60;
			const schedule = await createSchedule({
				...echo,
				cron: `${minute} * * * *`,
				catch_up: catchUp,
				paused: true,
				// Catching up several runs at once only starts them all if they may overlap: under skip
				// each would be skipped while the one before it runs (as in Temporal).
				overlap: "allow",
			});
			// Pretend the object slept for 20 hours: its cursor is that old when the alarm fires.
			await runInDurableObject(
				stubOf(schedule.schedule_id),
				async (instance: { alarm(): Promise<void> }, state) => {
					state.storage.sql.exec("UPDATE schedule SET paused = 0, cursor = ?", Date.now() - 20 * 3_600_000);
					state.storage.sql.exec("UPDATE schedule_alarm SET at = NULL");
					await instance.alarm();
				},
			);
			const view = await readSchedule(schedule.schedule_id);
			expect(
				view.last_runs.filter((r) => r.state === "started"),
				catchUp,
			).toHaveLength(expected);
			expect(view.runs.missed, catchUp).toBeGreaterThanOrEqual(19 - expected);
		}
	});
});

describe("triggering a schedule", () => {
	it("with overlap skip, skips while the previous run's task is active, and starts once it is done", async () => {
		const schedule = await createSchedule({ namespace: "testing", name: "restart_chain", cron: "0 0 1 1 *" });
		const first = await trigger(schedule.schedule_id);
		expect(first).toMatchObject({ kind: "triggered", state: "started" });
		const second = await trigger(schedule.schedule_id, {});
		expect(second.state).toBe("skipped");
		expect(second.detail).toContain(first.task_uuid ?? "?");

		// A trigger may name its own policy: allow starts one beside the active run.
		const allowed = await trigger(schedule.schedule_id, { overlap: "allow" });
		expect(allowed.state).toBe("started");
		expect(allowed.task_uuid).not.toBe(first.task_uuid);

		await waitForTask(allowed.task_uuid ?? "", (task) => expect(task.status).toBe("complete"), 15_000);
		const after = await trigger(schedule.schedule_id);
		expect(after.state).toBe("started");
		const view = await readSchedule(schedule.schedule_id);
		expect(view.runs).toMatchObject({ started: 3, skipped: 1 });
		const metrics = await (await api("/metrics")).text();
		const skipped = metrics.match(
			/tasker_schedule_runs_total\{namespace="testing",task="restart_chain",outcome="skipped"\} (\d+)/,
		);
		expect(Number(skipped?.[1])).toBeGreaterThanOrEqual(1);
	});

	it("with cancel_previous, cancels the active run's task and starts a new one", async () => {
		const schedule = await createSchedule({
			namespace: "testing",
			name: "restart_chain",
			cron: "0 0 1 1 *",
			overlap: "cancel_previous",
		});
		const first = await trigger(schedule.schedule_id);
		const second = await trigger(schedule.schedule_id);
		expect(second.state).toBe("started");
		const cancelled = await api(`/v1/tasks/${first.task_uuid}`);
		expect(((await cancelled.json()) as { status: string }).status).toBe("cancelled");
	});
});

describe("the schedule API", () => {
	it("refuses a bad cron or timezone naming the field and the parser's reason, and creates nothing", async () => {
		const before = await api("/v1/schedules?per_page=100");
		const count = ((await before.json()) as { pagination: { total_count: number } }).pagination.total_count;
		const badCron = await postJson("/v1/schedules", { ...echo, cron: "61 * * * *" });
		expect(badCron.status).toBe(400);
		expect(await badCron.text()).toMatch(/cron: .*minute: 61/);
		const badZone = await postJson("/v1/schedules", { ...echo, cron: "* * * * *", timezone: "Mars/Base" });
		expect(badZone.status).toBe(400);
		expect(await badZone.text()).toContain("timezone");
		const never = await postJson("/v1/schedules", { ...echo, cron: "0 0 31 2 *" });
		expect(await never.text()).toContain("never fires");
		const noTemplate = await postJson("/v1/schedules", { ...echo, name: "nope", cron: "* * * * *" });
		expect(noTemplate.status).toBe(404);
		const badOverlap = await postJson("/v1/schedules", { ...echo, cron: "* * * * *", overlap: "sometimes" });
		expect(await badOverlap.text()).toContain("overlap: expected one of skip, allow, cancel_previous");
		const after = await api("/v1/schedules?per_page=100");
		expect(((await after.json()) as { pagination: { total_count: number } }).pagination.total_count).toBe(
			count,
		);
	});

	it("holds a schedule's context to its template's input_schema, as POST /v1/tasks does, at every step", async () => {
		const orders = { namespace: "testing", name: "order_events", cron: "0 9 * * *", paused: true };
		const count = async () =>
			((await (await api("/v1/schedules?per_page=100")).json()) as { pagination: { total_count: number } })
				.pagination.total_count;
		const before = await count();
		const refused = await postJson("/v1/schedules", { ...orders, context: { order_id: "o-1", amount: "5" } });
		expect(refused.status).toBe(400);
		expect(await refused.text()).toMatch(
			/context does not match the input_schema of task template testing\/order_events version 1\.0\.0: context\.amount: .*number/,
		);
		expect(await count()).toBe(before);

		const schedule = await createSchedule({ ...orders, context: { order_id: "o-1", amount: 5 } });
		const changed = await api(`/v1/schedules/${schedule.schedule_id}`, {
			method: "PATCH",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ context: { order_id: "o-1" } }),
		});
		expect(changed.status).toBe(400);
		expect(await changed.text()).toContain("context.amount: required but missing");
		expect((await readSchedule(schedule.schedule_id)).context).toEqual({ order_id: "o-1", amount: 5 });

		// A context the template refuses by the time the run comes (a newer version asks for more): the run
		// fails, saying why, and starts no task that its first step would refuse.
		await runInDurableObject(stubOf(schedule.schedule_id), async (_instance, state) => {
			state.storage.sql.exec("UPDATE schedule SET context = ?", JSON.stringify({ order_id: "o-1" }));
		});
		const run = await trigger(schedule.schedule_id);
		expect(run).toMatchObject({ state: "failed", task_uuid: null });
		expect(run.detail).toContain("context.amount: required but missing");
		expect((await readSchedule(schedule.schedule_id)).runs.failed).toBe(1);
		await api(`/v1/schedules/${schedule.schedule_id}`, { method: "DELETE" });
	});

	it("lists, pauses, resumes, changes and deletes a schedule", async () => {
		const schedule = await createSchedule({ ...echo, cron: "0 9 * * 1-5", timezone: "Europe/Paris" });
		const listed = (await (await api("/v1/schedules?namespace=testing&per_page=100")).json()) as {
			schedules: ScheduleView[];
		};
		expect(listed.schedules.map((s) => s.schedule_id)).toContain(schedule.schedule_id);

		const patch = (body: unknown) =>
			api(`/v1/schedules/${schedule.schedule_id}`, {
				method: "PATCH",
				headers: { "content-type": "application/json" },
				body: JSON.stringify(body),
			});
		const paused = (await (await patch({ paused: true })).json()) as ScheduleView;
		expect(paused).toMatchObject({ paused: true, next_run_at: null });
		expect(await runDurableObjectAlarm(stubOf(schedule.schedule_id))).toBe(false);

		const resumed = (await (await patch({ paused: false, cron: "30 8 * * *" })).json()) as ScheduleView;
		expect(resumed).toMatchObject({ paused: false, cron: "30 8 * * *" });
		// 08:30 in Paris is 07:30 UTC in winter, 06:30 in summer.
		expect(resumed.next_run_at).toMatch(/T0[67]:30:00.000Z$/);
		const detail = await readSchedule(schedule.schedule_id);
		expect(detail.next_runs).toHaveLength(5);

		// `latest` is the newest version at each run, as when no version is given (GET /v1/templates takes it too).
		const pinned = (await (await patch({ version: "1.0.0" })).json()) as ScheduleView;
		expect(pinned.version).toBe("1.0.0");
		const latest = (await (await patch({ version: "latest" })).json()) as ScheduleView;
		expect(latest.version).toBeNull();

		const bad = await patch({ cron: "not a cron" });
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain("cron:");
		expect((await patch({})).status).toBe(400);

		const removed = await api(`/v1/schedules/${schedule.schedule_id}`, { method: "DELETE" });
		expect(removed.status).toBe(200);
		expect(await removed.json()).toMatchObject({ schedule_id: schedule.schedule_id, paused: true });
		expect((await api(`/v1/schedules/${schedule.schedule_id}`)).status).toBe(404);
		expect((await api(`/v1/schedules/${schedule.schedule_id}`, { method: "DELETE" })).status).toBe(404);
		const relisted = (await (await api("/v1/schedules?namespace=testing&per_page=100")).json()) as {
			schedules: ScheduleView[];
		};
		expect(relisted.schedules.map((s) => s.schedule_id)).not.toContain(schedule.schedule_id);
	});
});
