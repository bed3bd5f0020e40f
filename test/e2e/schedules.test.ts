// Schedules on the real `wrangler dev`: trigger runs one now; the CLI lists, shows, pauses and deletes
// it, and syncs the templates' schedules. (Due times by alarm: the Workers pool tests.)
import { describe, expect, inject, it } from "vitest";
import { seedOrderRequest } from "../../scripts/lib/seed-order";
import { TaskerClient } from "../../src/client";
import { runTasker } from "./run-tasker-cli";

const url = inject("taskerUrl");
const client = new TaskerClient({ baseUrl: url });
const tasker = (args: string[]) => runTasker(args, { TASKER_URL: url });

describe("schedules on wrangler dev", () => {
	// A due time reached by the schedule's own alarm is tested in the Workers pool
	// (test/integration/schedules.test.ts fires the alarm with runDurableObjectAlarm): waiting here for
	// a real cron minute would cost up to a minute of every npm test.
	it("tasker schedule sync answers what it did (the shipped templates declare no schedules)", async () => {
		const synced = await tasker(["schedule", "sync", "--json"]);
		expect(synced.code, synced.stderr).toBe(0);
		const body = JSON.parse(synced.stdout) as Record<string, unknown[]>;
		expect(Object.keys(body).sort()).toEqual([
			"created",
			"failed",
			"paused",
			"removed",
			"unchanged",
			"updated",
		]);
		expect(body.failed).toEqual([]);
		// Schedules made by POST /v1/schedules are never touched by a sync.
		const own = await client.createSchedule({ name: "order_processing", cron: "0 3 * * *" });
		const again = JSON.parse((await tasker(["schedule", "sync", "--json"])).stdout) as Record<
			string,
			Array<{ schedule_id: string }>
		>;
		expect(
			Object.values(again)
				.flat()
				.map((s) => s.schedule_id),
		).not.toContain(own.scheduleId);
		expect((await client.getSchedule(own.scheduleId)).paused).toBe(false);
		await client.deleteSchedule(own.scheduleId);
	}, 60_000);

	it("trigger runs it now, and the CLI lists, shows, pauses, resumes and deletes it", async () => {
		const created = await tasker([
			"schedule",
			"create",
			"order_processing",
			"--cron",
			"0 6 * * 1",
			"--timezone",
			"Europe/Paris",
			"--context",
			JSON.stringify(seedOrderRequest().context),
			"--paused",
			"--json",
		]);
		expect(created.code, created.stderr).toBe(0);
		const { schedule_id: id } = JSON.parse(created.stdout) as { schedule_id: string };

		const triggered = await tasker(["schedule", "trigger", id, "--json"]);
		expect(triggered.code, triggered.stderr).toBe(0);
		const run = JSON.parse(triggered.stdout) as { state: string; task_uuid: string };
		expect(run.state).toBe("started");
		expect((await client.waitForTask(run.task_uuid, { timeoutMs: 20_000 })).status).toBe("complete");

		const shown = await tasker(["schedule", "show", id]);
		expect(shown.stdout).toContain("0 6 * * 1 (Europe/Paris)");
		expect(shown.stdout).toContain(run.task_uuid);
		// The rest through the client (each CLI run starts a Node process: seconds on a busy machine).
		const listed = await client.listSchedules({ perPage: 100 });
		expect(listed.schedules.map((s) => s.scheduleId)).toContain(id);
		const resumed = await client.resumeSchedule(id);
		expect(resumed.paused).toBe(false);
		// Monday 06:00 in Paris is 05:00 UTC in winter, 04:00 in summer.
		expect(resumed.nextRunAt).toMatch(/T0[45]:00:00.000Z$/);
		expect(await client.pauseSchedule(id)).toMatchObject({ paused: true, nextRunAt: null });
		await expect(client.createSchedule({ name: "order_processing", cron: "99 * * * *" })).rejects.toThrow(
			/cron/,
		);

		expect((await tasker(["schedule", "delete", id])).code).toBe(0);
		expect((await tasker(["schedule", "show", id])).code).not.toBe(0);
	}, 120_000);
});
