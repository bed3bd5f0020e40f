// The one way to reach a schedule's Durable Object: its name is the schedule id.
import type { ScheduleChange, ScheduleReply } from "../durable-objects/schedule-object";
import type {
	Overlap,
	ScheduleDetailView,
	ScheduleRunView,
	ScheduleSettings,
	ScheduleView,
} from "./schedules/schedule-records";

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
