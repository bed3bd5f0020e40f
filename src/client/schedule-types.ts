// The client's schedule and event types, inferred from the schemas of /v1/schedules (type-only imports), so
// that client, server and spec cannot drift; top-level keys camelCased (`runs` and each run too).
import type { z } from "zod";
import type { eventReceiptSchema } from "../http/routes/task-signals";
import type {
	changeScheduleSchema,
	createScheduleSchema,
	scheduleDetailSchema,
	scheduleListSchema,
	scheduleRunSchema,
	scheduleSchema,
	scheduleSyncSchema,
} from "../http/schedule-schemas";
import type { CamelCaseKeys } from "./camel-case";
import type { Pagination } from "./client-types";

export type ScheduleBody = z.output<typeof scheduleSchema>;
export type ScheduleRunBody = z.output<typeof scheduleRunSchema>;
export type ScheduleDetailBody = z.output<typeof scheduleDetailSchema>;
export type ScheduleListBody = z.output<typeof scheduleListSchema>;
export type ScheduleSyncBody = z.output<typeof scheduleSyncSchema>;
/** One template schedule a sync looked at; `schedule` is its name in its template (null: none declares it). */
export type SyncedSchedule = CamelCaseKeys<ScheduleSyncBody["created"][number]>;
/** `POST /v1/schedules/sync`: what the sync did, schedule by schedule. */
export type ScheduleSync = {
	[K in keyof ScheduleSyncBody]: K extends "failed"
		? Array<SyncedSchedule & { error: string }>
		: SyncedSchedule[];
};

/** A schedule (`GET /v1/schedules`); `context` is each run's task context, as given. */
export type Schedule = CamelCaseKeys<ScheduleBody>;
/** One run of a schedule: started (with its task), skipped (overlap), failed, or pending. */
export type ScheduleRun = CamelCaseKeys<ScheduleRunBody>;
/** A schedule with its next due times and its last runs, newest first. */
export type ScheduleDetail = Omit<CamelCaseKeys<ScheduleDetailBody>, "lastRuns"> & {
	lastRuns: ScheduleRun[];
};

export interface ScheduleList {
	schedules: Schedule[];
	pagination: Pagination;
}

/** What `POST /v1/schedules` accepts, camelCased, before the server applies its defaults. */
export type CreateScheduleOptions = CamelCaseKeys<z.input<typeof createScheduleSchema>>;
/** What `PATCH /v1/schedules/{id}` accepts: at least one field. */
export type UpdateScheduleOptions = CamelCaseKeys<z.input<typeof changeScheduleSchema>>;

/** What `POST /v1/tasks/{uuid}/events` answers: delivered to a waiting step, buffered, or a duplicate. */
export type EventReceipt = CamelCaseKeys<z.output<typeof eventReceiptSchema>>;

export interface SendEventOptions {
	/** Any JSON: the waiting step's result (default null). */
	payload?: unknown;
	/** The sender's id for this event: sent again, it is applied once. */
	eventId?: string;
}

export interface ListSchedulesOptions {
	page?: number;
	perPage?: number;
	namespace?: string;
}
