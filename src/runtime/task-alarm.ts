// The task object's one alarm, mirrored in its own storage (the mark `alarm_at`, a column of the task
// row) so that it can be read and moved synchronously, in the same write as the decision that needs it:
// a dispatch saved as owed is never committed without the alarm that would re-send it.
import type { PlatformAlarm } from "./runtime-ports";
import type { RuntimeStore } from "./runtime-store";

export class TaskAlarm {
	private readonly platform: PlatformAlarm;
	private readonly store: RuntimeStore;

	constructor(platform: PlatformAlarm, store: RuntimeStore) {
		this.platform = platform;
		this.store = store;
	}

	/** Moves the alarm earlier when work is due sooner; it never moves later (older due times stay covered). */
	arm(wakeAt: number | null): void {
		if (wakeAt === null) return;
		const current = this.store.getMeta("alarm_at");
		if (current !== null && current !== undefined && Number(current) <= wakeAt) return;
		this.store.setMeta("alarm_at", wakeAt);
		this.platform.set(wakeAt);
	}

	/** A finished task has nothing left to do: its pending alarm is removed once. */
	clear(): void {
		const current = this.store.getMeta("alarm_at");
		if (current === null || current === undefined) return;
		this.store.setMeta("alarm_at", null);
		this.platform.delete();
	}

	/** In the alarm handler: the time it was set for (0 if unknown), forgotten since it has fired. */
	consume(): number {
		const scheduledFor = Number(this.store.getMeta("alarm_at") ?? 0);
		this.store.setMeta("alarm_at", null);
		return scheduledFor;
	}
}
