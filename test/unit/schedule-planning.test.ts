// The schedule's pure pieces: cron parsing with its field-naming problems, due times in a time zone
// (DST gap and overlap), and which due times an alarm starts under each catch-up policy.
import { describe, expect, it } from "vitest";
import { MAX_SCHEDULE_CATCH_UP_RUNS, SCHEDULE_ON_TIME_GRACE_MS } from "../../src/limits";
import { cronOf, dueTimesBetween, nextDueTimes, parseCron } from "../../src/schedules/cron-spec";
import { planDueRuns } from "../../src/schedules/plan-due-runs";
import { runIdempotencyKey } from "../../src/schedules/schedule-records";

const at = (iso: string) => Date.parse(iso);
const isoList = (times: number[]) => times.map((t) => new Date(t).toISOString());

describe("parseCron", () => {
	it("names the field and the parser's reason", () => {
		expect(parseCron("61 * * * *", "UTC")).toMatchObject({ ok: false, field: "cron" });
		const bad = parseCron("61 * * * *", "UTC");
		expect(!bad.ok && bad.reason).toContain("minute: 61");
		const six = parseCron("* * * * * *", "UTC");
		expect(!six.ok && six.reason).toContain("expected five fields");
		expect(parseCron("* * * * *", "Mars/Base")).toMatchObject({ ok: false, field: "timezone" });
		const never = parseCron("0 0 30 2 *", "UTC");
		expect(!never.ok && never.reason).toContain("never fires");
		expect(parseCron("*/15 9-17 * * MON-FRI", "Europe/Paris").ok).toBe(true);
	});
});

describe("due times in a time zone", () => {
	it("follows the zone's clock across daylight saving time", () => {
		// Paris: 09:00 local is 08:00 UTC in winter, 07:00 UTC in summer (clocks went forward on 29 March).
		const cron = cronOf("0 9 * * *", "Europe/Paris");
		expect(isoList(nextDueTimes(cron, at("2026-03-28T12:00:00Z"), 2))).toEqual([
			"2026-03-29T07:00:00.000Z",
			"2026-03-30T07:00:00.000Z",
		]);
	});

	it("fires once on a fall-back night and at the gap's end on a spring-forward night", () => {
		// New York, 1 November 2026: 01:30 happens twice; it fires once, at the first.
		const fallBack = cronOf("30 1 * * *", "America/New_York");
		const [first, second] = nextDueTimes(fallBack, at("2026-10-31T12:00:00Z"), 2);
		expect(new Date(first ?? 0).toISOString()).toBe("2026-11-01T05:30:00.000Z");
		expect(new Date(second ?? 0).toISOString()).toBe("2026-11-02T06:30:00.000Z");
		// 8 March 2026: 02:30 does not exist; the day still has one run.
		const gap = cronOf("30 2 * * *", "America/New_York");
		const times = dueTimesBetween(gap, at("2026-03-08T00:00:00Z"), at("2026-03-09T00:00:00Z"), 10);
		expect(times).toHaveLength(1);
	});
});

describe("planDueRuns", () => {
	const everyMinute = cronOf("* * * * *", "UTC");
	const now = at("2026-06-01T12:00:20Z");

	it("starts the due time its alarm was set for, and nothing when fired again", () => {
		const plan = planDueRuns(everyMinute, at("2026-06-01T11:59:30Z"), now, "none");
		expect(isoList(plan.fire)).toEqual(["2026-06-01T12:00:00.000Z"]);
		expect(plan).toMatchObject({ missed: 0, cursor: at("2026-06-01T12:00:00Z") });
		expect(planDueRuns(everyMinute, plan.cursor, now, "none")).toEqual({
			fire: [],
			missed: 0,
			cursor: plan.cursor,
		});
	});

	it("after downtime: none starts only an on-time run, latest the newest, all the newest few", () => {
		const hourly = cronOf("30 * * * *", "UTC");
		const cursor = at("2026-06-01T00:00:00Z");
		const none = planDueRuns(hourly, cursor, now, "none");
		expect(none.fire).toEqual([]);
		expect(none.missed).toBe(12);
		const latest = planDueRuns(hourly, cursor, now, "latest");
		expect(isoList(latest.fire)).toEqual(["2026-06-01T11:30:00.000Z"]);
		expect(latest.missed).toBe(11);
		const all = planDueRuns(hourly, cursor, now, "all");
		expect(all.fire).toHaveLength(MAX_SCHEDULE_CATCH_UP_RUNS);
		expect(new Date(all.fire.at(-1) ?? 0).toISOString()).toBe("2026-06-01T11:30:00.000Z");
		expect(all.missed).toBe(12 - MAX_SCHEDULE_CATCH_UP_RUNS);
		for (const plan of [none, latest, all]) expect(plan.cursor).toBe(at("2026-06-01T11:30:00Z"));
	});

	it("counts a late alarm as on time within the grace", () => {
		const hourly = cronOf("0 * * * *", "UTC");
		const due = at("2026-06-01T12:00:00Z");
		const late = planDueRuns(hourly, due - 1, due + SCHEDULE_ON_TIME_GRACE_MS, "none");
		expect(late.fire).toEqual([due]);
		const tooLate = planDueRuns(hourly, due - 1, due + SCHEDULE_ON_TIME_GRACE_MS + 1, "none");
		expect(tooLate.fire).toEqual([]);
	});

	it("does not walk a long outage one due time at a time to find the newest", () => {
		const started = performance.now();
		const plan = planDueRuns(everyMinute, at("2025-06-01T00:00:00Z"), now, "latest");
		expect(plan.fire).toEqual([at("2026-06-01T12:00:00Z")]);
		expect(performance.now() - started).toBeLessThan(2_000);
	});
});

describe("a run's idempotency key", () => {
	it("is derived from the schedule, the kind and the due time only", () => {
		const key = runIdempotencyKey("s-1", "scheduled", at("2026-06-01T12:00:00Z"));
		expect(key).toBe("schedule:s-1:scheduled:2026-06-01T12:00:00.000Z");
		expect(runIdempotencyKey("s-1", "scheduled", at("2026-06-01T12:00:00Z"))).toBe(key);
		expect(runIdempotencyKey("s-1", "triggered", at("2026-06-01T12:00:00Z"))).not.toBe(key);
	});
});
