// A schedule object's SQLite storage: one row for the schedule, one per run (the newest kept).
import { MAX_SCHEDULE_RUNS_KEPT } from "../src/limits";
import type { CatchUp } from "../src/schedules/plan-due-runs";
import type {
	Overlap,
	RunKind,
	RunState,
	ScheduleRecord,
	ScheduleRun,
} from "../src/schedules/schedule-records";

const SCHEMA = [
	`CREATE TABLE IF NOT EXISTS schedule (
		singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
		schedule_id TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, version TEXT,
		cron TEXT NOT NULL, timezone TEXT NOT NULL, context TEXT NOT NULL, overlap TEXT NOT NULL,
		catch_up TEXT NOT NULL, paused INTEGER NOT NULL, cursor INTEGER NOT NULL,
		created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, revision INTEGER NOT NULL,
		runs_started INTEGER NOT NULL, runs_skipped INTEGER NOT NULL, runs_failed INTEGER NOT NULL,
		runs_missed INTEGER NOT NULL
	)`,
	// One row per (kind, due time): a due time considered twice (an alarm fired twice) is one run.
	`CREATE TABLE IF NOT EXISTS schedule_run (
		seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, due_at INTEGER NOT NULL,
		state TEXT NOT NULL, overlap TEXT, task_uuid TEXT, detail TEXT,
		created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, UNIQUE (kind, due_at)
	)`,
	// When the alarm was last set for: an alarm acts "as of" that time, so a test may fire it early.
	"CREATE TABLE IF NOT EXISTS schedule_alarm (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), at INTEGER)",
];

type Row = Record<string, SqlStorageValue>;

export class ScheduleStore {
	private readonly sql: SqlStorage;

	constructor(sql: SqlStorage) {
		this.sql = sql;
		this.ensureSchema();
	}

	/** Creates the tables (again, after the schedule was deleted with its storage). */
	ensureSchema(): void {
		for (const statement of SCHEMA) this.sql.exec(statement);
	}

	alarmAt(): number | null {
		const [row] = this.sql.exec<Row>("SELECT at FROM schedule_alarm").toArray();
		return row?.at === null || row?.at === undefined ? null : Number(row.at);
	}

	setAlarmAt(at: number | null): void {
		this.sql.exec("INSERT OR REPLACE INTO schedule_alarm (singleton, at) VALUES (1, ?)", at);
	}

	load(): ScheduleRecord | null {
		const [row] = this.sql.exec<Row>("SELECT * FROM schedule").toArray();
		return row ? toRecord(row) : null;
	}

	save(record: ScheduleRecord): void {
		this.sql.exec(
			`INSERT OR REPLACE INTO schedule (singleton, schedule_id, namespace, name, version, cron, timezone,
				context, overlap, catch_up, paused, cursor, created_at, updated_at, revision, runs_started,
				runs_skipped, runs_failed, runs_missed)
			VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			record.scheduleId,
			record.namespace,
			record.name,
			record.version,
			record.cron,
			record.timezone,
			JSON.stringify(record.context),
			record.overlap,
			record.catchUp,
			record.paused ? 1 : 0,
			record.cursor,
			record.createdAt,
			record.updatedAt,
			record.revision,
			record.runsStarted,
			record.runsSkipped,
			record.runsFailed,
			record.runsMissed,
		);
	}

	/** Adds a run unless one of this kind and due time exists; answers the run either way. */
	addRun(
		kind: RunKind,
		dueAt: number,
		overlap: Overlap | null,
		now: number,
	): { run: ScheduleRun; added: boolean } {
		const existing = this.runAt(kind, dueAt);
		if (existing) return { run: existing, added: false };
		this.sql.exec(
			`INSERT INTO schedule_run (kind, due_at, state, overlap, task_uuid, detail, created_at, updated_at)
			VALUES (?, ?, 'pending', ?, NULL, NULL, ?, ?)`,
			kind,
			dueAt,
			overlap,
			now,
			now,
		);
		const run = this.runAt(kind, dueAt);
		if (!run) throw new Error(`run ${kind} at ${dueAt} was not stored`);
		this.forgetOldRuns();
		return { run, added: true };
	}

	settleRun(seq: number, state: RunState, taskUuid: string | null, detail: string | null, now: number): void {
		this.sql.exec(
			"UPDATE schedule_run SET state = ?, task_uuid = ?, detail = ?, updated_at = ? WHERE seq = ?",
			state,
			taskUuid,
			detail,
			now,
			seq,
		);
	}

	getRun(seq: number): ScheduleRun | null {
		const [row] = this.sql.exec<Row>("SELECT * FROM schedule_run WHERE seq = ?", seq).toArray();
		return row ? toRun(row) : null;
	}

	pendingRuns(): ScheduleRun[] {
		return this.sql
			.exec<Row>("SELECT * FROM schedule_run WHERE state = 'pending' ORDER BY seq")
			.toArray()
			.map(toRun);
	}

	/** The newest run before `seq` that started a task: the one an overlap policy looks at. */
	previousStarted(seq: number): ScheduleRun | null {
		const [row] = this.sql
			.exec<Row>(
				"SELECT * FROM schedule_run WHERE state = 'started' AND seq < ? ORDER BY seq DESC LIMIT 1",
				seq,
			)
			.toArray();
		return row ? toRun(row) : null;
	}

	lastRuns(limit: number): ScheduleRun[] {
		return this.sql
			.exec<Row>("SELECT * FROM schedule_run ORDER BY seq DESC LIMIT ?", limit)
			.toArray()
			.map(toRun);
	}

	private runAt(kind: RunKind, dueAt: number): ScheduleRun | null {
		const [row] = this.sql
			.exec<Row>("SELECT * FROM schedule_run WHERE kind = ? AND due_at = ?", kind, dueAt)
			.toArray();
		return row ? toRun(row) : null;
	}

	/** Keeps the newest runs, and every pending one (still owed a submission). */
	private forgetOldRuns(): void {
		this.sql.exec(
			`DELETE FROM schedule_run WHERE state != 'pending' AND seq <= (SELECT MAX(seq) FROM schedule_run) - ?`,
			MAX_SCHEDULE_RUNS_KEPT,
		);
	}
}

function toRecord(row: Row): ScheduleRecord {
	return {
		scheduleId: String(row.schedule_id),
		namespace: String(row.namespace),
		name: String(row.name),
		version: row.version === null ? null : String(row.version),
		cron: String(row.cron),
		timezone: String(row.timezone),
		context: JSON.parse(String(row.context)) as Record<string, unknown>,
		overlap: String(row.overlap) as Overlap,
		catchUp: String(row.catch_up) as CatchUp,
		paused: Number(row.paused) === 1,
		cursor: Number(row.cursor),
		createdAt: Number(row.created_at),
		updatedAt: Number(row.updated_at),
		revision: Number(row.revision),
		runsStarted: Number(row.runs_started),
		runsSkipped: Number(row.runs_skipped),
		runsFailed: Number(row.runs_failed),
		runsMissed: Number(row.runs_missed),
	};
}

function toRun(row: Row): ScheduleRun {
	return {
		seq: Number(row.seq),
		kind: String(row.kind) as RunKind,
		dueAt: Number(row.due_at),
		state: String(row.state) as RunState,
		overlap: row.overlap === null ? null : (String(row.overlap) as Overlap),
		taskUuid: row.task_uuid === null ? null : String(row.task_uuid),
		detail: row.detail === null ? null : String(row.detail),
		createdAt: Number(row.created_at),
		updatedAt: Number(row.updated_at),
	};
}
