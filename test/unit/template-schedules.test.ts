// A template's `schedules:`: validated like POST /v1/schedules (cron and time zone parsed, names
// unique, misspelt keys named), defaults applied, and each gets a deterministic version-8 id.
import { describe, expect, it } from "vitest";
import { isTemplateScheduleId, templateScheduleId } from "../../src/schedules/template-schedule-id";
import { validateTemplateText } from "../../src/templates/validate-template";

const template = (schedules: string) =>
	validateTemplateText(
		`name: nightly_report\nnamespace_name: reports\nversion: 1.0.0\nschedules:\n${schedules}\nsteps:\n  - { name: run, handler: { callable: Report } }\n`,
	);

const problems = (schedules: string) => {
	const result = template(schedules);
	if (result.ok) throw new Error("expected problems");
	return result.problems.map((p) => `${p.path}: ${p.message}`);
};

describe("a template's schedules", () => {
	it("are read with the defaults of POST /v1/schedules", () => {
		const result =
			template(`  - { name: nightly, cron: "0 3 * * *", timezone: Europe/Paris, context: { full: true } }
  - { name: hourly, cron: "0 * * * *", overlap: allow, catch_up: none, paused: true }`);
		if (!result.ok) throw new Error(JSON.stringify(result.problems));
		expect(result.template.schedules).toEqual([
			{
				name: "nightly",
				cron: "0 3 * * *",
				timezone: "Europe/Paris",
				context: { full: true },
				overlap: "skip",
				catchUp: "latest",
				paused: false,
			},
			{
				name: "hourly",
				cron: "0 * * * *",
				timezone: "UTC",
				context: {},
				overlap: "allow",
				catchUp: "none",
				paused: true,
			},
		]);
	});

	it("name each mistake: a bad cron or zone, a duplicate name, an unknown key, a bad policy", () => {
		expect(problems(`  - { name: a, cron: "61 * * * *" }`)).toEqual([
			expect.stringMatching(/^schedules\[0\]\.cron: "61 \* \* \* \*": .*minute/),
		]);
		expect(problems(`  - { name: a, cron: "0 3 * * *", timezone: Mars/Olympus }`)).toEqual([
			expect.stringMatching(/^schedules\[0\]\.timezone: expected an IANA time zone/),
		]);
		expect(problems(`  - { name: a, cron: "0 3 * * *" }\n  - { name: a, cron: "0 4 * * *" }`)).toEqual([
			'schedules[1].name: duplicate schedule name "a"',
		]);
		expect(problems(`  - { name: a, cron: "0 3 * * *", crn: x }`).join("\n")).toContain('unknown key "crn"');
		expect(problems(`  - { name: a, cron: "0 3 * * *", overlap: buffer }`).join("\n")).toContain(
			"schedules[0].overlap: expected one of skip, allow, cancel_previous",
		);
	});

	it("need a context that matches the template's input_schema: each run would be refused otherwise", () => {
		const withSchema = (
			schedules: string,
			schema = "{ type: object, required: [day], properties: { day: { type: integer, minimum: 1 } } }",
		) =>
			validateTemplateText(
				`name: nightly_report\nnamespace_name: reports\nversion: 1.0.0\ninput_schema: ${schema}\nschedules:\n${schedules}\nsteps:\n  - { name: run, handler: { callable: Report } }\n`,
			);
		expect(withSchema(`  - { name: ok, cron: "0 3 * * *", context: { day: 2 } }`).ok).toBe(true);
		const bad = withSchema(
			`  - { name: ok, cron: "0 3 * * *", context: { day: 2 } }\n  - { name: late, cron: "0 4 * * *", context: { day: 0 } }\n  - { name: none, cron: "0 5 * * *" }`,
		);
		if (bad.ok) throw new Error("expected problems");
		expect(bad.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
			expect.stringMatching(/^schedules\[1\]\.context\.day: does not match the input_schema: .*minimum/),
			"schedules[2].context.day: does not match the input_schema: required but missing (required)",
		]);
		// A broken schema is reported once, as itself, and the contexts are not checked against it.
		const broken = withSchema(`  - { name: a, cron: "0 3 * * *" }`, "{ type: objekt }");
		if (broken.ok) throw new Error("expected problems");
		expect(broken.problems.map((p) => p.path)).toEqual([expect.stringMatching(/^input_schema/)]);
	});

	it("get an id derived from namespace, template and name: the same on every deploy, version 8", async () => {
		const id = await templateScheduleId("reports", "nightly_report", "nightly");
		expect(await templateScheduleId("reports", "nightly_report", "nightly")).toBe(id);
		expect(await templateScheduleId("reports", "nightly_report", "hourly")).not.toBe(id);
		expect(await templateScheduleId("report", "snightly_report", "nightly")).not.toBe(id);
		expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(isTemplateScheduleId(id)).toBe(true);
		expect(isTemplateScheduleId("01900000-0000-7000-8000-000000000000")).toBe(false);
	});
});
