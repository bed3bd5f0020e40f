// Templates' schedules in the real Workers runtime: POST /v1/schedules/sync creates each schedule a
// template declares under an id derived from its template and name, leaves it alone when nothing
// changed, updates it when its definition changed, and pauses it when no template declares it any
// more; schedules made by POST /v1/schedules are never touched. Its runs are started by `trigger`
// here (a due time by alarm is covered in schedules.test.ts).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { templates as shipped } from "../../src/generated/registry";
import { TemplateRegistry } from "../../src/registry/template-registry";
import type { ScheduleDetailView, ScheduleView } from "../../src/schedules/schedule-records";
import { type ScheduleSync, syncTemplateSchedules } from "../../src/schedules/sync-template-schedules";
import { templateScheduleId } from "../../src/schedules/template-schedule-id";
import { templates as fixtures } from "../generated/fixture-registry";
import { api, postJson } from "./helpers";

const DIGEST = fixtures.find((t) => t.name === "scheduled_digest");

async function syncByRoute(): Promise<ScheduleSync> {
	const response = await api("/v1/schedules/sync", { method: "POST" });
	expect(response.status, await response.clone().text()).toBe(200);
	return (await response.json()) as ScheduleSync;
}

async function readSchedule(scheduleId: string): Promise<ScheduleDetailView> {
	const response = await api(`/v1/schedules/${scheduleId}`);
	expect(response.status).toBe(200);
	return (await response.json()) as ScheduleDetailView;
}

const digestOnly = (list: ScheduleSync["created"]) =>
	list
		.filter((s) => s.name === "scheduled_digest")
		.map((s) => s.schedule)
		.sort();

describe("a template's schedules", () => {
	it("are created once, left alone, updated when changed and paused when removed", async () => {
		if (!DIGEST) throw new Error("fixture scheduled_digest missing");
		const hourlyId = await templateScheduleId("testing", "scheduled_digest", "hourly");
		const nightlyId = await templateScheduleId("testing", "scheduled_digest", "nightly");
		expect(hourlyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

		// A schedule made by the API, which no sync may touch.
		const made = await postJson("/v1/schedules", {
			namespace: "testing",
			name: "scheduled_digest",
			cron: "*/5 * * * *",
		});
		const own = (await made.json()) as ScheduleView;

		const first = await syncByRoute();
		expect(digestOnly(first.created)).toEqual(["hourly", "nightly"]);
		expect(first.failed).toEqual([]);
		expect(await readSchedule(nightlyId)).toMatchObject({
			namespace: "testing",
			name: "scheduled_digest",
			version: null,
			cron: "0 3 * * *",
			timezone: "Europe/Paris",
			context: { kind: "nightly" },
			overlap: "allow",
			paused: false,
		});

		const again = await syncByRoute();
		expect(again.created).toEqual([]);
		expect(digestOnly(again.unchanged)).toEqual(["hourly", "nightly"]);

		// The template is deployed again with hourly re-timed and nightly gone.
		const hourly = DIGEST.schedules?.find((s) => s.name === "hourly");
		if (!hourly) throw new Error("no hourly schedule");
		const changed = new TemplateRegistry([
			...shipped,
			...fixtures.filter((t) => t !== DIGEST),
			{ ...DIGEST, schedules: [{ ...hourly, cron: "30 * * * *" }] },
		]);
		const third = await syncTemplateSchedules(env, changed);
		expect(digestOnly(third.updated)).toEqual(["hourly"]);
		expect(third.paused.map((s) => s.schedule_id)).toEqual([nightlyId]);
		expect((await readSchedule(hourlyId)).cron).toBe("30 * * * *");
		expect((await readSchedule(nightlyId)).paused).toBe(true);
		expect((await readSchedule(own.schedule_id)).paused).toBe(false);

		// Back to the template as written: both as declared, nightly resumed; the API's schedule untouched.
		const fourth = await syncByRoute();
		expect(digestOnly(fourth.updated)).toEqual(["hourly", "nightly"]);
		expect((await readSchedule(nightlyId)).paused).toBe(false);
		expect(await readSchedule(own.schedule_id)).toMatchObject({ cron: "*/5 * * * *", paused: false });

		// A template schedule runs like any other.
		const run = await api(`/v1/schedules/${hourlyId}/trigger`, { method: "POST" });
		expect(run.status).toBe(201);
		expect(await run.json()).toMatchObject({ kind: "triggered", state: "started" });
	});
});
