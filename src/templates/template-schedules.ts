// A template's `schedules:`: the template runs on these crons once deployed. Each entry has the fields
// of POST /v1/schedules except the template's own (namespace, name, version come from the template),
// plus its `name` within the template, from which the schedule's id is derived (so a deploy finds the
// schedule it made before: see src/schedules/sync-template-schedules.ts).
import { z } from "zod";
import { MAX_CRON_LENGTH } from "../limits";
import { CATCH_UP_POLICIES } from "../schedules/plan-due-runs";
import { OVERLAP_POLICIES, type ScheduleTiming } from "../schedules/schedule-records";
import { expecting, mapping, patternedName, strictObject, stringOfLength } from "../validation/field-schemas";

/** How many schedules one template may declare. */
export const MAX_SCHEDULES_PER_TEMPLATE = 20;
const SCHEDULE_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

export interface TemplateSchedule extends ScheduleTiming {
	/** Unique within the template: the schedule's identity across deploys. */
	name: string;
}

export const templateScheduleSchema = strictObject(
	{
		name: patternedName(SCHEDULE_NAME_PATTERN, 64, "a schedule name such as nightly"),
		cron: stringOfLength(1, MAX_CRON_LENGTH, "a five-field cron expression"),
		timezone: stringOfLength(1, 64, "an IANA time zone").default("UTC"),
		context: mapping("a mapping (each run's task context)").default({}),
		overlap: z
			.enum(OVERLAP_POLICIES, { error: expecting(`one of ${OVERLAP_POLICIES.join(", ")}`) })
			.default("skip"),
		catch_up: z
			.enum(CATCH_UP_POLICIES, { error: expecting(`one of ${CATCH_UP_POLICIES.join(", ")}`) })
			.default("latest"),
		paused: z.boolean({ error: expecting("true or false") }).default(false),
	},
	"a mapping such as {name: nightly, cron: '0 3 * * *', timezone: Europe/Paris}",
);

export const templateSchedulesSchema = z
	.array(templateScheduleSchema, {
		error: expecting(`a list of at most ${MAX_SCHEDULES_PER_TEMPLATE} schedules`),
	})
	.refine((list) => list.length <= MAX_SCHEDULES_PER_TEMPLATE, {
		error: expecting(`a list of at most ${MAX_SCHEDULES_PER_TEMPLATE} schedules`),
	});

export function normaliseSchedule(parsed: z.output<typeof templateScheduleSchema>): TemplateSchedule {
	return {
		name: parsed.name,
		cron: parsed.cron,
		timezone: parsed.timezone,
		context: parsed.context,
		overlap: parsed.overlap,
		catchUp: parsed.catch_up,
		paused: parsed.paused,
	};
}
