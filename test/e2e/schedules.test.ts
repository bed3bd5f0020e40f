// Schedules on the real `wrangler dev`: a schedule `* * * * *` starts its task once at its due time,
// driven by its own alarm; trigger runs it now; the CLI lists, shows, pauses and deletes it.
import { describe, expect, inject, it } from "vitest";
import { seedOrderRequest } from "../../scripts/lib/seed-order";
import { TaskerClient } from "../../src/client";
import { runTasker } from "./run-tasker-cli";

const url = inject("taskerUrl");
const client = new TaskerClient({ baseUrl: url });
const tasker = (args: string[]) => runTasker(args, { TASKER_URL: url });

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (done(value) || Date.now() > deadline) return value;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

describe("schedules on wrangler dev", () => {
	it("a schedule every minute starts its task exactly once at its due time, by its own alarm", async () => {
		const schedule = await client.createSchedule({
			name: "order_processing",
			cron: "* * * * *",
			context: seedOrderRequest().context,
		});
		const due = schedule.nextRunAt ?? "";
		expect(Date.parse(due) % 60_000).toBe(0);
		const detail = await until(
			() => client.getSchedule(schedule.scheduleId),
			(d) => d.lastRuns.some((run) => run.state === "started"),
			75_000,
		);
		const [run] = detail.lastRuns;
		expect(run).toMatchObject({ kind: "scheduled", state: "started", dueAt: due });
		// Not before its time: the task was created at or after the due time.
		const task = await client.waitForTask(run?.taskUuid ?? "", { timeoutMs: 20_000 });
		expect(Date.parse(task.createdAt ?? "")).toBeGreaterThanOrEqual(Date.parse(due));
		expect(task).toMatchObject({ status: "complete", initiator: `schedule:${schedule.scheduleId}` });
		// Exactly one task for that due time.
		const started = await client.listTasks({ initiator: `schedule:${schedule.scheduleId}`, perPage: 100 });
		expect(started.tasks.filter((t) => t.reason.includes(due))).toHaveLength(1);
		await client.deleteSchedule(schedule.scheduleId);
	}, 100_000);

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
