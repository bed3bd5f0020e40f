// Keeps the fleet-wide views in D1 in step with this task: its row in the task index (GET /v1/tasks)
// after each status change, its metrics deltas (GET /metrics), and the DLQ entries it staged (GET
// /v1/dlq; staged in the decision's own transaction, inserted idempotently by uuid), in one push, which a
// fleet writer batches with other tasks' (src/fleet/fleet-writer-stub.ts). A push is never
// awaited by an engine operation, so D1 is never the reason a step waits; a failed push arms the
// alarm, whose pass pushes again until it lands.
//
// Metrics are pushed exactly once: a push is staged (its number and the stretch of the transition log
// it covers) in storage before it is sent, re-sent unchanged until it lands, and D1 applies each
// number once. Metrics go out when the task finishes, and while a long task runs with its first event
// at least METRICS_FLUSH_MS after the task started or after the last push; index rows go out with
// every status change.
//
// Neither mark costs a commit of its own on the usual path. A push is staged inside the transaction of
// the operation that makes it due (the runtime's beforeCommit), and that it landed is kept in memory
// and written with the next staging: an object lost in between still holds the landed push as staged,
// and sends it once more, which D1 ignores by its number.
import type { DlqEntry } from "../src/core/dlq-entry";
import { isEmptyDelta, type MetricsDelta, metricsDelta } from "../src/core/metrics-delta";
import { isTerminalTaskState } from "../src/core/states";
import { stepExecutions } from "../src/core/step-executions";
import type { TaskRecord, TransitionRecord } from "../src/core/task-records";
import { type FleetPush, isEmptyPush } from "../src/fleet/fleet-push";
import { INDEX_RETRY_MS, INDEX_ROW_DELAY_MS, METRICS_FLUSH_MS } from "../src/limits";
import { logEvent } from "../src/observability/log-event";
import type { TaskAlarm } from "../src/runtime/task-alarm";
import { indexRowOf } from "../src/task-index/task-index";
import type { SqliteTaskStore } from "./sqlite-task-store";

/** How far the metrics pushed (or staged) reach: push number, last transition, operation counters. */
interface PushMark {
	seq: number;
	upto: number;
	resultsDropped: number;
	claimsDropped: number;
	/** When it landed (landed marks only). */
	at: number;
}

const NOTHING_PUSHED: PushMark = { seq: 0, upto: 0, resultsDropped: 0, claimsDropped: 0, at: 0 };

export class FleetSync {
	private readonly store: SqliteTaskStore;
	/** Sends a push to D1 (through a fleet writer): resolves once it landed. */
	private readonly deliver: (push: FleetPush) => Promise<void>;
	private readonly schedule: TaskAlarm;
	private readonly transact: <T>(operation: () => T) => T;
	/**
	 * The three marks this class alone keeps (the last status indexed, in memory only; the metrics
	 * landed and staged, read from storage once per object lifetime and then kept here: every engine
	 * operation syncs, and re-reading them each time was rows read per operation). Updated only after
	 * the push (and the write) that changes them has completed.
	 */
	private marks: { indexedStatus: unknown; landed: PushMark | null; staged: PushMark | null } | null = null;
	/** The last push landed, but storage still names it staged: written with the next staging. */
	private landedUnsaved = false;
	/** The push under way, if any: one at a time, and a sync asked for meanwhile runs after it. */
	private pushing = false;
	private syncAgain = false;

	constructor(
		store: SqliteTaskStore,
		deliver: (push: FleetPush) => Promise<void>,
		schedule: TaskAlarm,
		transact: <T>(operation: () => T) => T,
	) {
		this.store = store;
		this.deliver = deliver;
		this.schedule = schedule;
		this.transact = transact;
	}

	/** A running task's row change waiting to be pushed (see sync). */
	private rowTimer: ReturnType<typeof setTimeout> | null = null;

	/**
	 * Pushes what is due: the index row if the status changed, the metrics if due (see the header). A
	 * running task's new status alone is pushed INDEX_ROW_DELAY_MS later, with whatever it is by then:
	 * a small task finishes meanwhile and its end pushes the row once, with its metrics, instead of
	 * a D1 write per status while its steps run. An end, metrics or a DLQ entry go out at once.
	 */
	sync(rowNow = false): void {
		if (this.pushing) {
			this.syncAgain = true;
			return;
		}
		const task = this.store.peekTask();
		if (!task) return;
		const marks = this.readMarks();
		const rowDue = marks.indexedStatus !== task.status;
		const landed = marks.landed ?? NOTHING_PUSHED;
		// Staged already by the operation's own transaction when it was due then; a push that became due
		// with time alone (METRICS_FLUSH_MS) is staged here, in a transaction of its own.
		if (!marks.staged && stageDue(task, landed)) this.transact(() => this.stageWithin());
		const staged = marks.staged;
		const dlqEntries = this.store.stagedDlqEntries();
		if (!rowDue && !staged && dlqEntries.length === 0) return;
		if (!rowNow && !staged && dlqEntries.length === 0 && !isTerminalTaskState(task.status)) {
			// The timer keeps the object alive until it fires; should the object go anyway, the alarm the
			// task keeps while it runs syncs again.
			this.rowTimer ??= setTimeout(() => {
				this.rowTimer = null;
				this.sync(true);
			}, INDEX_ROW_DELAY_MS);
			return;
		}
		this.pushing = true;
		void this.push(task, rowDue, landed, staged, dlqEntries).finally(() => {
			this.pushing = false;
			if (this.syncAgain) {
				this.syncAgain = false;
				this.sync(rowNow);
			}
		});
	}

	private async push(
		task: Readonly<TaskRecord>,
		rowDue: boolean,
		landed: PushMark,
		staged: PushMark | null,
		dlqEntries: readonly DlqEntry[],
	) {
		try {
			const transitions = staged ? this.store.transitionsBetween(landed.upto, staged.upto) : [];
			const delta = staged ? this.deltaBetween(landed, staged, transitions) : null;
			const withMetrics = staged !== null && delta !== null && !isEmptyDelta(delta);
			const push: FleetPush = {
				task: { taskUuid: task.taskUuid, namespace: task.namespace, name: task.name, version: task.version },
				dlqEntries: [...dlqEntries],
				indexRow: rowDue ? indexRowOf(task) : null,
				metrics: withMetrics ? { seq: staged.seq, delta } : null,
				// Each attempt's duration and outcome for the analytics routes: the same stretch of the log as
				// the metrics, so it lands exactly when they do (and a repeat of a row is a no-op).
				executions: withMetrics ? stepExecutions(transitions) : [],
			};
			if (!isEmptyPush(push)) await this.deliver(push);
			const nowLanded = staged ? { ...staged, at: Date.now() } : null;
			// The status indexed is kept in memory only: writing it down cost a transaction (a row
			// written) per status change, landing in the middle of the task's next operations, and
			// a write before an RPC's reply holds that reply. An object that starts afresh pushes its
			// row once more (an idempotent upsert of the current status), which is all it was for.
			// DLQ entries are unstaged at once (and the landed mark with them); a landed push alone is
			// written with the next staging (see the header).
			if (dlqEntries.length > 0) {
				this.transact(() => {
					if (nowLanded) {
						this.store.setMeta("metrics_landed", JSON.stringify(nowLanded));
						this.store.setMeta("metrics_staged", null);
					}
					this.store.unstageDlqEntries(new Set(dlqEntries.map((entry) => entry.dlq_entry_uuid)));
				});
			}
			const marks = this.readMarks();
			if (rowDue) marks.indexedStatus = task.status;
			if (nowLanded) {
				marks.landed = nowLanded;
				marks.staged = null;
				this.landedUnsaved = dlqEntries.length === 0;
			}
		} catch (error) {
			logEvent("index.push_failed", { task_uuid: task.taskUuid, status: task.status, error: String(error) });
			this.schedule.arm(Date.now() + INDEX_RETRY_MS);
		}
	}

	/**
	 * Inside a transaction (the runtime calls it before every commit): if a metrics push is due, saves
	 * its reach with that transaction, before it is sent, so that a retry sends exactly the same delta;
	 * with it, the landed mark not yet written. Kept in memory from here on; a rollback forgets it.
	 */
	stageWithin(): void {
		const task = this.store.peekTask();
		if (!task) return;
		const marks = this.readMarks();
		const landed = marks.landed ?? NOTHING_PUSHED;
		if (marks.staged || !stageDue(task, landed)) return;
		const staged: PushMark = {
			seq: landed.seq + 1,
			upto: task.transitionSeq,
			resultsDropped: task.stats.resultsDropped,
			claimsDropped: task.stats.claimsDropped,
			at: 0,
		};
		if (this.landedUnsaved) this.store.setMeta("metrics_landed", JSON.stringify(landed));
		this.store.setMeta("metrics_staged", JSON.stringify(staged));
		this.landedUnsaved = false;
		marks.staged = staged;
	}

	/** A transaction rolled back: the marks are read from storage again (a push may be sent once more). */
	forget(): void {
		this.marks = null;
		this.landedUnsaved = false;
	}

	private deltaBetween(
		landed: PushMark,
		staged: PushMark,
		transitions: readonly TransitionRecord[],
	): MetricsDelta {
		return metricsDelta({
			transitions,
			firstPush: landed.seq === 0,
			resultsDropped: staged.resultsDropped - landed.resultsDropped,
			claimsDropped: staged.claimsDropped - landed.claimsDropped,
		});
	}

	private readMarks() {
		if (this.marks === null) {
			const mark = (key: "metrics_landed" | "metrics_staged"): PushMark | null => {
				const value = this.store.getMeta(key);
				return typeof value === "string" ? (JSON.parse(value) as PushMark) : null;
			};
			this.marks = {
				// Not stored (see push): unknown until this object lifetime's first push.
				indexedStatus: undefined,
				landed: mark("metrics_landed"),
				staged: mark("metrics_staged"),
			};
		}
		return this.marks;
	}
}

/**
 * Whether metrics should be staged now. Not with every status change: it is a write. No alarm is armed
 * for a flush alone: each event comes through here.
 */
function stageDue(task: Readonly<TaskRecord>, landed: PushMark): boolean {
	if (!hasUnpushed(task, landed)) return false;
	const since = landed.seq === 0 ? task.createdAt : landed.at;
	// A step that starts waiting may wait for days with nothing else happening: pushed now, so the
	// fleet's count of waiting steps does not lag the wait.
	const waiting = task.counts.waiting_for_event + task.counts.sleeping > 0;
	return isTerminalTaskState(task.status) || waiting || Date.now() >= since + METRICS_FLUSH_MS;
}

function hasUnpushed(task: Readonly<TaskRecord>, landed: PushMark): boolean {
	return (
		landed.seq === 0 ||
		task.transitionSeq > landed.upto ||
		task.stats.resultsDropped > landed.resultsDropped ||
		task.stats.claimsDropped > landed.claimsDropped
	);
}
