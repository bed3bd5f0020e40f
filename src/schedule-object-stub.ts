// The one way to reach a schedule's Durable Object: its name is the schedule id.
import type { SettingsProblem } from "./schedules/check-settings";
import type {
	Overlap,
	ScheduleDetailView,
	ScheduleRunView,
	ScheduleSettings,
	ScheduleView,
} from "./schedules/schedule-records";

/** What a schedule may be changed in (PATCH): anything but its namespace and template name. */
export type ScheduleChange = Partial<Omit<ScheduleSettings, "namespace" | "name">>;

export type ScheduleReply<T> =
	| { kind: "applied"; value: T }
	| { kind: "unknown_schedule" }
	| { kind: "invalid"; problem: SettingsProblem };

/** The schedule object's RPC, as a caller sees it (every RPC answers a promise). */
export interface ScheduleObjectApi {
	create(scheduleId: string, settings: ScheduleSettings): Promise<ScheduleReply<ScheduleView>>;
	read(): Promise<ScheduleDetailView | null>;
	change(change: ScheduleChange): Promise<ScheduleReply<ScheduleView>>;
	trigger(overlap: Overlap | null): Promise<ScheduleReply<ScheduleRunView>>;
	/** The schedule as it was when deleted (paused), or null if there was none. */
	remove(): Promise<ScheduleView | null>;
}

export function scheduleObject(env: Env, scheduleId: string): ScheduleObjectApi {
	return env.SCHEDULES.get(env.SCHEDULES.idFromName(scheduleId)) as unknown as ScheduleObjectApi;
}
