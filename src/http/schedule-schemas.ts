// The bodies and answers of /v1/schedules, strict so that a misspelt field is an error naming it.
import { z } from "zod";
import { MAX_CRON_LENGTH, MAX_NAME_LENGTH, MAX_NAMESPACE_LENGTH } from "../limits";
import { CATCH_UP_POLICIES } from "../schedules/plan-due-runs";
import { OVERLAP_POLICIES, RUN_KINDS, RUN_STATES } from "../schedules/schedule-records";
import { expecting, mapping, strictObject, stringOfLength } from "../validation/field-schemas";

const overlap = () =>
	z
		.enum(OVERLAP_POLICIES, { error: expecting(`one of ${OVERLAP_POLICIES.join(", ")}`) })
		.meta({ description: "While the previous run's task is still active: skip, allow, or cancel_previous." });
const catchUp = () =>
	z.enum(CATCH_UP_POLICIES, { error: expecting(`one of ${CATCH_UP_POLICIES.join(", ")}`) }).meta({
		description:
			"Due times missed while the schedule could not run: start none, the latest, or all (bounded).",
	});
const cron = () =>
	stringOfLength(1, MAX_CRON_LENGTH, "a five-field cron expression").meta({ example: "*/15 * * * *" });
const timezone = () => stringOfLength(1, 64, "an IANA time zone").meta({ example: "Europe/Paris" });
const version = () => stringOfLength(1, 64, "a semver version");

export const createScheduleSchema = strictObject(
	{
		namespace: stringOfLength(1, MAX_NAMESPACE_LENGTH, "a namespace").default("default"),
		name: stringOfLength(1, MAX_NAME_LENGTH, "a template name"),
		/** Omitted: the newest registered version when each run starts. */
		version: version().optional(),
		cron: cron(),
		timezone: timezone().default("UTC"),
		context: mapping("a JSON object (each run's task context)").default({}),
		overlap: overlap().default("skip"),
		catch_up: catchUp().default("latest"),
		paused: z.boolean({ error: expecting("true or false") }).default(false),
	},
	"a JSON object (the schedule)",
);

export const changeScheduleSchema = strictObject(
	{
		version: version().nullable().optional(),
		cron: cron().optional(),
		timezone: timezone().optional(),
		context: mapping("a JSON object (each run's task context)").optional(),
		overlap: overlap().optional(),
		catch_up: catchUp().optional(),
		paused: z.boolean({ error: expecting("true or false") }).optional(),
	},
	"a JSON object (the fields of the schedule to change)",
).refine((change) => Object.values(change).some((value) => value !== undefined), {
	error: "expected at least one of: version, cron, timezone, context, overlap, catch_up, paused",
});

export const triggerScheduleSchema = strictObject(
	{ overlap: overlap().optional() },
	"a JSON object (the trigger's options), or an empty body",
);

/** When and how a schedule runs, as every view of one shows it (an API schedule, a template's `schedules`). */
export const scheduleTimingFields = {
	cron: z.string(),
	timezone: z.string(),
	context: z.record(z.string(), z.unknown()),
	overlap: z.enum(OVERLAP_POLICIES),
	catch_up: z.enum(CATCH_UP_POLICIES),
	paused: z.boolean(),
};

const runsSchema = z.object({
	started: z.number(),
	skipped: z.number(),
	failed: z.number(),
	missed: z.number(),
});

export const scheduleSchema = z
	.object({
		schedule_id: z.string(),
		namespace: z.string(),
		name: z.string(),
		version: z.string().nullable(),
		...scheduleTimingFields,
		next_run_at: z.string().nullable(),
		created_at: z.string(),
		updated_at: z.string(),
		runs: runsSchema,
	})
	.meta({ id: "Schedule" });

export const scheduleRunSchema = z
	.object({
		seq: z.number(),
		kind: z.enum(RUN_KINDS),
		due_at: z.string(),
		state: z.enum(RUN_STATES),
		task_uuid: z.string().nullable(),
		/** The task's status as the task index last saw it (absent when not indexed yet). */
		task_status: z.string().nullable().optional(),
		detail: z.string().nullable(),
		created_at: z.string(),
		updated_at: z.string(),
	})
	.meta({ id: "ScheduleRun" });

export const scheduleDetailSchema = scheduleSchema
	.extend({ next_runs: z.array(z.string()), last_runs: z.array(scheduleRunSchema) })
	.meta({ id: "ScheduleDetail" });

export const scheduleListSchema = z
	.object({
		schedules: z.array(scheduleSchema),
		pagination: z.object({
			page: z.number(),
			per_page: z.number(),
			total_count: z.number(),
			total_pages: z.number(),
			has_next: z.boolean(),
			has_previous: z.boolean(),
		}),
	})
	.meta({ id: "ScheduleList" });

/** POST /v1/schedules/sync: what the sync did to each template schedule. */
const syncedSchedule = z.object({
	schedule_id: z.string(),
	namespace: z.string(),
	name: z.string(),
	schedule: z
		.string()
		.nullable()
		.meta({ description: "The schedule's name in its template (null: no template declares it)." }),
});

export const scheduleSyncSchema = z
	.object({
		created: z.array(syncedSchedule),
		updated: z.array(syncedSchedule),
		unchanged: z.array(syncedSchedule),
		paused: z
			.array(syncedSchedule)
			.meta({ description: "Template schedules no template declares any more." }),
		removed: z.array(syncedSchedule).meta({ description: "Template schedules whose template is gone." }),
		failed: z.array(syncedSchedule.extend({ error: z.string() })),
	})
	.meta({ id: "ScheduleSync" });
