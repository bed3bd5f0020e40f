// Keeps the task's row in the task index (GET /v1/tasks) in step with its status. A push is never
// awaited by an engine operation: the index is never the reason a step waits. A failed push arms the
// alarm, whose pass pushes again, until it lands.
import type { TaskRecord } from "../src/core/task-records";
import { logEvent } from "../src/observability/log-event";
import { indexRowOf, upsertTaskIndexRow } from "../src/task-index/task-index";
import type { SqliteTaskStore } from "./sqlite-task-store";
import type { TaskAlarm } from "./task-alarm";

/** After a failed push to the task index, when the alarm pushes again. */
export const INDEX_RETRY_MS = 2_000;

export class TaskIndexSync {
	private readonly store: SqliteTaskStore;
	private readonly index: () => D1Database;
	private readonly schedule: TaskAlarm;
	private readonly transact: <T>(operation: () => T) => T;

	constructor(
		store: SqliteTaskStore,
		index: () => D1Database,
		schedule: TaskAlarm,
		transact: <T>(operation: () => T) => T,
	) {
		this.store = store;
		this.index = index;
		this.schedule = schedule;
		this.transact = transact;
	}

	/** Pushes the row if the status changed since the last push that landed. */
	sync(): void {
		const task = this.store.loadTask();
		if (!task || this.store.getMeta("indexed_status") === task.status) return;
		void this.push(task);
	}

	private async push(task: TaskRecord): Promise<void> {
		try {
			await upsertTaskIndexRow(this.index(), indexRowOf(task));
			this.transact(() => this.store.setMeta("indexed_status", task.status));
		} catch (error) {
			logEvent("index.push_failed", { task_uuid: task.taskUuid, status: task.status, error: String(error) });
			this.schedule.arm(Date.now() + INDEX_RETRY_MS);
		}
	}
}
