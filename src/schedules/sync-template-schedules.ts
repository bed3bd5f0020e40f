// Makes the schedule objects match the templates' `schedules:` (POST /v1/schedules/sync, run after a
// deploy and when `npm run dev` starts). The newest version of each template says which schedules it
// has; each gets the id derived from its template and name (template-schedule-id.ts), so a sync is
// idempotent: a missing schedule is created, a changed definition updates it, an unchanged one is left
// alone (its cursor and run counts go on), and a template schedule no template declares any more is
// paused (deleted instead if its template is gone: a paused schedule must still name a template).
// Runs are submitted with the newest version of the template, as a schedule without `version` is.
import { canonicalJson } from "../core/canonical-json";
import type { TemplateRegistry } from "../registry/template-registry";
import { scheduleObject } from "../schedule-object-stub";
import type { ScheduleSettings, ScheduleView } from "./schedule-records";
import { isTemplateScheduleId, templateScheduleId } from "./template-schedule-id";

export interface SyncedSchedule {
	schedule_id: string;
	namespace: string;
	name: string;
	/** The schedule's name in its template; null for a schedule found only in the index (no template declares it). */
	schedule: string | null;
}

export interface ScheduleSync {
	created: SyncedSchedule[];
	updated: SyncedSchedule[];
	unchanged: SyncedSchedule[];
	paused: SyncedSchedule[];
	removed: SyncedSchedule[];
	/** Schedules the sync could not apply, with the reason (the others are applied regardless). */
	failed: Array<SyncedSchedule & { error: string }>;
}

interface Desired {
	scheduleId: string;
	schedule: string;
	settings: ScheduleSettings;
}

async function desiredSchedules(templates: TemplateRegistry): Promise<Desired[]> {
	const seen = new Set<string>();
	const desired: Desired[] = [];
	for (const template of templates.list()) {
		const key = `${template.namespace}/${template.name}`;
		if (seen.has(key)) continue;
		seen.add(key);
		const newest = templates.find(template.namespace, template.name);
		if (!newest.ok) continue;
		for (const schedule of newest.template.schedules ?? []) {
			desired.push({
				scheduleId: await templateScheduleId(template.namespace, template.name, schedule.name),
				schedule: schedule.name,
				settings: {
					namespace: template.namespace,
					name: template.name,
					version: null,
					cron: schedule.cron,
					timezone: schedule.timezone,
					context: schedule.context,
					overlap: schedule.overlap,
					catchUp: schedule.catchUp,
					paused: schedule.paused,
				},
			});
		}
	}
	return desired;
}

/** The fields of `want` that differ from the schedule as it is. */
function differences(have: ScheduleView, want: ScheduleSettings): Partial<ScheduleSettings> {
	const change: Partial<ScheduleSettings> = {};
	if (have.version !== want.version) change.version = want.version;
	if (have.cron !== want.cron) change.cron = want.cron;
	if (have.timezone !== want.timezone) change.timezone = want.timezone;
	if (canonicalJson(have.context) !== canonicalJson(want.context)) change.context = want.context;
	if (have.overlap !== want.overlap) change.overlap = want.overlap;
	if (have.catch_up !== want.catchUp) change.catchUp = want.catchUp;
	if (have.paused !== want.paused) change.paused = want.paused;
	return change;
}

/** Template schedules (version 8 ids) the index lists as not deleted. */
async function indexedTemplateSchedules(db: D1Database): Promise<ScheduleView[]> {
	const rows = await db
		.prepare("SELECT view FROM schedule_index WHERE deleted = 0 AND substr(schedule_id, 15, 1) = '8'")
		.all<{ view: string }>();
	return (rows.results ?? [])
		.map((row) => JSON.parse(row.view) as ScheduleView)
		.filter((view) => isTemplateScheduleId(view.schedule_id));
}

export async function syncTemplateSchedules(env: Env, templates: TemplateRegistry): Promise<ScheduleSync> {
	const sync: ScheduleSync = { created: [], updated: [], unchanged: [], paused: [], removed: [], failed: [] };
	const desired = await desiredSchedules(templates);
	for (const want of desired) {
		const entry: SyncedSchedule = {
			schedule_id: want.scheduleId,
			namespace: want.settings.namespace,
			name: want.settings.name,
			schedule: want.schedule,
		};
		const stub = scheduleObject(env, want.scheduleId);
		const have = await stub.read();
		if (have === null) {
			const reply = await stub.create(want.scheduleId, want.settings);
			if (reply.kind === "invalid") sync.failed.push({ ...entry, error: reply.problem.message });
			else sync.created.push(entry);
			continue;
		}
		const change = differences(have, want.settings);
		if (Object.keys(change).length === 0) {
			sync.unchanged.push(entry);
			continue;
		}
		const reply = await stub.change(change);
		if (reply.kind === "applied") sync.updated.push(entry);
		else
			sync.failed.push({ ...entry, error: reply.kind === "invalid" ? reply.problem.message : "no schedule" });
	}
	const wanted = new Set(desired.map((want) => want.scheduleId));
	for (const view of await indexedTemplateSchedules(env.TASK_INDEX)) {
		if (wanted.has(view.schedule_id) || view.paused) continue;
		const entry: SyncedSchedule = {
			schedule_id: view.schedule_id,
			namespace: view.namespace,
			name: view.name,
			schedule: null,
		};
		const stub = scheduleObject(env, view.schedule_id);
		const reply = await stub.change({ paused: true });
		if (reply.kind === "applied") {
			sync.paused.push(entry);
		} else if (reply.kind === "invalid") {
			// Its template is gone: a schedule cannot be kept (even paused) without one.
			await stub.remove();
			sync.removed.push(entry);
		}
	}
	return sync;
}
