// The TaskStore port over the Durable Object's synchronous SQLite API. Each method is a few
// indexed statements; nothing here loads the whole DAG except the explicit read endpoints. A statement
// costs the object a fixed price beyond its rows, so a transaction's step, transition and meta writes are
// held and written a table at a time at its end (flush, in as few statements as bulk-rows.ts finds
// cheapest), and what this object wrote is read back from memory where it is held (the task row, the
// graph, the steps: see StepRecordCache).
import type { DlqEntry } from "../src/core/dlq-entry";
import type { DomainEventMessage } from "../src/core/domain-events";
import type { DynamicBlueprint, DynamicState } from "../src/core/dynamic-records";
import type { StepState } from "../src/core/states";
import type { StepRecord, TaskRecord, TransitionRecord } from "../src/core/task-records";
import { emptyStepCounts } from "../src/core/task-status";
import type { MetaValue, RuntimeStore } from "../src/runtime/runtime-store";
import type { StoredDomainEvent } from "../src/runtime/task-object-api";
import { insertStatement, upsertStatement, writeRows } from "./bulk-rows";
import { jsonCopy } from "./json-copy";
import { RecentTransitions } from "./recent-transitions";
import { charsOf, json, num, numOrNull, parse, type Row, strOrNull } from "./sql-cells";
import { SqliteEventInbox } from "./sqlite-event-inbox";
import { StepDueTimes } from "./step-due-times";
import { StepRecordCache } from "./step-record-cache";
import {
	childrenCell,
	childrenOfCell,
	mergeChildren,
	STEP_INSERT,
	STEP_INSERT_RESULT,
	STEP_UPDATE,
	STEP_UPDATE_RESULT,
	stepFromRow,
	stepInsertRow,
	stepUpdateRow,
} from "./step-rows";
import { copyTaskRecord, deepFreeze } from "./task-record-copy";
import { TaskResultGraph } from "./task-result-graph";
import {
	isRowMark,
	newRowMarks,
	ROW_MARKS,
	type RowMark,
	type RowMarkValues,
	rowMarkCells,
	rowMarksOf,
} from "./task-row-marks";
import {
	DOMAIN_EVENT_TABLE,
	META_TABLE,
	SCHEMA_MIGRATIONS,
	SCHEMA_STATEMENTS,
	SCHEMA_VERSION,
} from "./task-schema";
import { TransactionWrites } from "./transaction-writes";

type TaskIdentity = Omit<
	TaskRecord,
	| "status"
	| "counts"
	| "pendingSends"
	| "transitionSeq"
	| "stats"
	| "updatedAt"
	| "completedAt"
	| "progressAt"
	| "staleness"
	| "totalSteps"
>;
/** Meta keys of a dynamic task's plan (written once) and of which of its steps exist (per creating pass). */
const BLUEPRINT_KEY = "dynamic_blueprint";
const DYNAMIC_STATE_KEY = "dynamic_state";
/** Meta key of the DLQ entries staged for D1 (a JSON list). */
const DLQ_STAGED_KEY = "dlq_staged";
/** The task itself, in the transition log (steps are 0..n-1). */
const TASK_LOG = -1;

const TRANSITION_INSERT = insertStatement("transition", [
	"step_idx",
	"seq",
	"step_uuid",
	"step_name",
	"from_state",
	"to_state",
	"attempt",
	"at",
	"metadata",
]);
const META_UPSERT = upsertStatement("meta", "key", ["value"]);
/** The task row's columns that change (and the marks with them): written by one statement, prepared once. */
const TASK_ROW_UPDATE = `UPDATE task SET status = ?, counts = ?, pending_sends = ?, transition_seq = ?, stats = ?,
	updated_at = ?, completed_at = ?, progress_at = ?, staleness = ?, total_steps = ?,
	${ROW_MARKS.map((mark) => `${mark} = ?`).join(", ")} WHERE id = 1`;
/** A task row's table was created by schema 10 or later when its definition names the marks' columns. */
const MARKS_IN_ROW = /\bschema_version\b/;

export class SqliteTaskStore implements RuntimeStore {
	private readonly sql: SqlStorage;
	private schemaReady = false;
	/**
	 * Storage was looked at and holds no task: only this store creates one, so the answer stands until
	 * it does (a fresh object's create would otherwise ask twice, once to read and once to write).
	 */
	private schemaAbsent = false;
	/**
	 * Whether the meta table exists (null: not yet asked): it is created by the first meta key written that
	 * is not a mark of the task row (see task-row-marks.ts), and a task without one reads none.
	 */
	private metaTable: boolean | null = null;
	/**
	 * Every meta row is in `meta` (absent keys included): true from the moment this store created the
	 * schema, when there is no meta table yet, so a new task's reads of its keys cost no statement.
	 */
	private metaAllKnown = false;
	/**
	 * This store created the schema and has not inserted the task row yet: the create's own checks for
	 * the row (saveTask's) need no SELECT. Forgotten on rollback, like everything learnt in a transaction.
	 */
	private taskRowAbsent = false;
	/** The domain_event table exists (see hasEventTable). */
	private eventTable = false;
	/** The task's fields that never change (its context can be large): parsed once per object lifetime. */
	private identity: TaskIdentity | null = null;

	/** The task row as saved in the current transaction, not yet written (see flush). */
	private dirty: TaskRecord | null = null;
	/**
	 * The task row as this store last wrote or read it: every write of the row goes through saveTask and
	 * flush, and this object is its only writer, so reads are served from here instead of a SELECT and
	 * three JSON parses each (the row is read by most operations: a report, a claim, the index push).
	 * Null until first needed, and again after a rollback (discard), when storage is the truth.
	 */
	private committed: TaskRecord | null = null;
	/**
	 * The task row's marks as this store last wrote or read them (with the row, so known whenever the row
	 * is): the alarm's mirror, the fleet marks and the schema version are read by most operations. Dropped
	 * on rollback, like the task row.
	 */
	private rowMarks: RowMarkValues | null = null;
	/** A mark changed in this transaction: the task row is written at its end even if nothing else changed. */
	private rowMarksChanged = false;
	/** The task row was created in this transaction and is inserted by flush() (`dirty` is the row). */
	private insertHeld = false;
	/** The other meta rows as in storage (undefined: no row), read once each. Dropped on rollback. */
	private meta = new Map<string, SqlStorageValue | undefined>();
	/** The DLQ entries staged for D1, as in storage; null until first read (or after a rollback). */
	private staged: DlqEntry[] | null = null;
	/**
	 * The steps' edges and results, for handing a step its inputs without reading rows: filled by this
	 * store's own writes, rebuilt from storage when null (a fresh object, or after a rollback).
	 */
	private graph: TaskResultGraph | null = null;
	/** When steps are next due, for the alarm: kept and rebuilt like the graph. */
	private dueTimes: StepDueTimes | null = null;
	/**
	 * Each step's idx by its uuid, kept and rebuilt like the graph: claims and reports name steps by uuid,
	 * and the step table has no index on it (an index entry is a billed row written per step).
	 */
	private stepIdx: Map<string, number> | null = null;
	/** The transitions appended lately, for the readers of "all after seq N"; dropped on rollback. */
	private recent = new RecentTransitions();
	/** Steps as last written or read: a claim or report reads its steps without a statement each. */
	private readonly cache = new StepRecordCache();
	/** The current transaction's step, transition and meta writes, written together by flush(). */
	private readonly held = new TransactionWrites();
	/** Counted since the task row was last saved; folded into its stats on the next save. */
	private unsaved = { requests: 0, rowsRead: 0, rowsWritten: 0 };

	readonly events: SqliteEventInbox;

	constructor(sql: SqlStorage) {
		this.sql = sql;
		this.events = new SqliteEventInbox(sql);
	}

	/** Every statement goes through here, so rows read and written are counted as the platform bills them. */
	private readonly exec = (query: string, ...bindings: SqlStorageValue[]): Row[] => {
		const cursor = this.sql.exec(query, ...bindings);
		const rows = cursor.toArray();
		this.unsaved.rowsRead += cursor.rowsRead;
		this.unsaved.rowsWritten += cursor.rowsWritten;
		return rows;
	};

	/** One billed invocation of the object doing engine work. */
	noteRequest(): void {
		this.unsaved.requests += 1;
	}

	/** A transaction began: its step, transition and meta writes are held for flush() (see TransactionWrites). */
	begin(): void {
		this.held.begin();
	}

	/** True once a task has been created in this object. Reads before that touch no storage. */
	hasSchema(): boolean {
		if (this.schemaReady) return true;
		if (this.schemaAbsent) return false;
		// One statement answers whether there is a task, which schema made it, and whether there is a meta table.
		const tables = this.exec(
			"SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('task', 'meta')",
		);
		const taskTable = tables.find((table) => table.name === "task");
		this.schemaReady = taskTable !== undefined;
		this.schemaAbsent = !this.schemaReady;
		this.metaTable = tables.some((table) => table.name === "meta");
		if (taskTable) this.migrate(String(taskTable.sql));
		return this.schemaReady;
	}

	/** Every write goes through here first: the schema is created by the first write, never by a read. */
	private ensureSchema(): void {
		if (this.hasSchema()) return;
		// One statement per call: a cursor counts the rows written of its last statement only, and these
		// counters are the rows as billed.
		for (const statement of SCHEMA_STATEMENTS) this.exec(statement);
		this.schemaReady = true;
		this.schemaAbsent = false;
		this.metaTable = false;
		this.metaAllKnown = true;
		this.taskRowAbsent = true;
		// Written with the task row's insert.
		this.rowMarks = newRowMarks(SCHEMA_VERSION);
		// A new task: no steps yet, so the graph starts empty and its own inserts fill it.
		this.graph = new TaskResultGraph();
		this.dueTimes = new StepDueTimes();
		this.stepIdx = new Map();
	}

	/**
	 * An object created by older code gets the newer columns once, the first time it is loaded. Its
	 * version is in its task row since schema 10 (read now: nearly every caller reads the row next), in
	 * the meta table before.
	 */
	private migrate(taskTableSql: string): void {
		const version = MARKS_IN_ROW.test(taskTableSql)
			? Number(this.knownRowMarks().get("schema_version") ?? SCHEMA_VERSION)
			: Number(this.exec("SELECT value FROM meta WHERE key = 'schema_version'")[0]?.value ?? 0);
		if (version >= SCHEMA_VERSION) return;
		for (const migration of SCHEMA_MIGRATIONS) {
			if (migration.version <= version) continue;
			for (const statement of migration.statements) this.exec(statement);
		}
		this.exec("UPDATE task SET schema_version = ? WHERE id = 1", SCHEMA_VERSION);
		// Whatever was read of the row before the migration is read again, with the columns it added.
		this.rowMarks = null;
		this.committed = null;
		this.identity = null;
	}

	/**
	 * The task row's marks, reading the row if this store has not yet (null values when there is no row:
	 * a task table whose row was never written, which its insert then writes).
	 */
	private knownRowMarks(): RowMarkValues {
		if (this.rowMarks === null && this.committed === null) this.committed = this.readTaskRow();
		if (this.rowMarks === null) {
			this.rowMarks = newRowMarks(SCHEMA_VERSION);
			this.taskRowAbsent = true;
		}
		return this.rowMarks;
	}

	getMeta(key: string): SqlStorageValue | undefined {
		if (!this.hasSchema()) return undefined;
		if (isRowMark(key)) return this.knownRowMarks().get(key) ?? undefined;
		if (this.meta.has(key) || this.metaAllKnown || !this.metaTable) return this.meta.get(key);
		const value = this.exec("SELECT value FROM meta WHERE key = ?", key)[0]?.value;
		this.meta.set(key, value);
		return value;
	}

	setMeta(key: string, value: MetaValue): void {
		this.ensureSchema();
		if (isRowMark(key)) {
			this.setRowMark(key, value);
			return;
		}
		// Writing what is already there would be a row written for nothing.
		if (this.meta.has(key) && this.meta.get(key) === value) return;
		if (this.held.isHolding) this.held.setMeta(key, value);
		else {
			this.ensureMetaTable();
			this.exec(META_UPSERT.single, key, value);
		}
		this.meta.set(key, value);
	}

	/**
	 * A mark is written with the task row: by its insert if it is not written yet, else by the update at the
	 * end of this transaction (flush), or at once outside one.
	 */
	private setRowMark(mark: RowMark, value: MetaValue): void {
		const marks = this.knownRowMarks();
		// Writing what is already there would be a write for nothing (an alarm re-armed at the same time).
		if (marks.get(mark) === value) return;
		marks.set(mark, value);
		if (this.taskRowAbsent) return;
		if (this.held.isHolding) this.rowMarksChanged = true;
		else this.writeMarks();
	}

	private ensureMetaTable(): void {
		if (this.metaTable) return;
		this.exec(META_TABLE);
		this.metaTable = true;
	}

	loadTask(): TaskRecord | null {
		const task = this.peekTask();
		return task === null ? null : copyTaskRecord(task);
	}

	/**
	 * The task as loadTask answers it, without the copy (its context can be large): for readers that only
	 * look, such as the fleet sync after every transaction. Never changed in place: each save replaces it.
	 */
	peekTask(): Readonly<TaskRecord> | null {
		if (this.dirty) return this.dirty;
		this.committed ??= this.readTaskRow();
		return this.committed;
	}

	/**
	 * The task row from storage, whole, its marks with it: read once per object lifetime (and again after a
	 * rollback), since every later write of the row goes through this store and is kept as `committed`.
	 */
	private readTaskRow(): TaskRecord | null {
		if (!this.hasSchema() || this.taskRowAbsent) return null;
		const row = this.exec("SELECT * FROM task WHERE id = 1")[0];
		if (!row) return null;
		this.identity ??= deepFreeze(identityFromRow(row));
		this.rowMarks = rowMarksOf(row);
		return {
			...this.identity,
			status: String(row.status) as TaskRecord["status"],
			// States added since an older object was created count from 0.
			counts: { ...emptyStepCounts(), ...parse<TaskRecord["counts"]>(row.counts) },
			pendingSends: num(row.pending_sends),
			transitionSeq: num(row.transition_seq),
			// Counters added since an older object was created start from 0.
			stats: {
				timeouts: 0,
				unclaimedResends: 0,
				deadLetters: 0,
				deadLettersDropped: 0,
				...parse<Partial<TaskRecord["stats"]>>(row.stats),
			} as TaskRecord["stats"],
			updatedAt: num(row.updated_at),
			completedAt: numOrNull(row.completed_at),
			progressAt: numOrNull(row.progress_at) ?? num(row.updated_at),
			staleness: row.staleness === null || row.staleness === undefined ? null : parse(row.staleness),
			// Steps a decision or batch creates raise it; a static task's never changes.
			totalSteps: num(row.total_steps),
		};
	}

	saveTask(task: TaskRecord): void {
		// The row exists once its identity is known; a rollback forgets the identity (it may have undone
		// the row), and then storage says.
		const rowExists = this.identity !== null || this.peekTask() !== null;
		this.foldUnsavedInto(task);
		if (rowExists) {
			// Written once, by flush() at the end of the transaction: a batch of k claims or results
			// would otherwise rewrite this same row k times.
			this.dirty = this.withStoredIdentity(task);
			return;
		}
		this.ensureSchema();
		const {
			status: _s,
			counts: _c,
			pendingSends: _p,
			transitionSeq: _q,
			stats: _st,
			updatedAt: _u,
			completedAt: _d,
			progressAt: _pa,
			staleness: _sl,
			totalSteps: _t,
			...identity
		} = task;
		// The caller's own objects are copied before they are frozen.
		this.identity = deepFreeze(jsonCopy(identity));
		const saved = this.withStoredIdentity(task);
		if (this.held.isHolding) {
			// Inserted by flush(), as the transaction leaves it: with the alarm it arms and any later save,
			// in one statement rather than an insert and an update.
			this.insertHeld = true;
			this.dirty = saved;
			return;
		}
		this.insertTaskRow(saved);
	}

	/** The task row, whole, with its marks. Takes `task` as its own (the stats grow). */
	private insertTaskRow(task: TaskRecord): void {
		this.foldUnsavedInto(task);
		this.exec(
			`INSERT INTO task (id, task_uuid, name, namespace, version, context, initiator, source_system, reason,
				tags, priority, correlation_id, parent_correlation_id, created_at, total_steps,
				status, counts, pending_sends, transition_seq, stats, updated_at, completed_at, progress_at, staleness,
				${ROW_MARKS.join(", ")})
			VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${ROW_MARKS.map(() => "?").join(", ")})`,
			task.taskUuid,
			task.name,
			task.namespace,
			task.version,
			json(task.context),
			task.initiator,
			task.sourceSystem,
			task.reason,
			json(task.tags),
			task.priority,
			task.correlationId,
			task.parentCorrelationId,
			task.createdAt,
			task.totalSteps,
			task.status,
			json(task.counts),
			task.pendingSends,
			task.transitionSeq,
			json(task.stats),
			task.updatedAt,
			task.completedAt,
			task.progressAt,
			task.staleness === null ? null : json(task.staleness),
			...rowMarkCells(this.knownRowMarks()),
		);
		this.taskRowAbsent = false;
		// The row just inserted: the next read of it (the send's confirmation, the claim) needs no SELECT.
		this.committed = task;
	}

	/** The rows read and written since the last save count in this one. */
	private foldUnsavedInto(task: TaskRecord): void {
		task.stats.requests += this.unsaved.requests;
		task.stats.rowsRead += this.unsaved.rowsRead;
		task.stats.rowsWritten += this.unsaved.rowsWritten;
		this.unsaved = { requests: 0, rowsRead: 0, rowsWritten: 0 };
	}

	/**
	 * A copy of a task being saved that shares the stored, frozen identity (context and tags included):
	 * those fields are written once, at creation, so the caller's copies of them are not kept.
	 */
	private withStoredIdentity(task: Readonly<TaskRecord>): TaskRecord {
		const copy = copyTaskRecord(task);
		return this.identity ? { ...copy, ...this.identity } : copy;
	}

	/**
	 * Writes the task row saved during this transaction, if any (or whose marks changed), and the held rows.
	 * Called by the shell before it commits.
	 */
	flush(): void {
		this.writeHeldSteps();
		this.writeHeldTransitions();
		const metaRows = this.held.takeMeta();
		if (metaRows.length > 0) {
			this.ensureMetaTable();
			writeRows(this.exec, META_UPSERT, metaRows);
		}
		this.held.end();
		const marksChanged = this.rowMarksChanged;
		this.rowMarksChanged = false;
		const saved = this.dirty;
		const insert = this.insertHeld;
		this.dirty = null;
		this.insertHeld = false;
		if (saved && insert) this.insertTaskRow(saved);
		else if (saved) this.writeTaskRow(saved);
		else if (marksChanged) this.writeMarks();
	}

	/** The marks changed and nothing else of the row: it is written as last saved, with them. */
	private writeMarks(): void {
		const task = this.peekTask();
		if (task) this.writeTaskRow(this.withStoredIdentity(task));
	}

	/** The task row's changing part and its marks, in one statement. Takes `task` as its own (the stats grow). */
	private writeTaskRow(task: TaskRecord): void {
		// The rows written by now count in this save, not the next one: a finished task has no next one.
		this.foldUnsavedInto(task);
		// Known here (read with the row, or set by this store's create), so read before `committed` changes.
		const marks = this.knownRowMarks();
		this.committed = task;
		this.exec(
			TASK_ROW_UPDATE,
			task.status,
			json(task.counts),
			task.pendingSends,
			task.transitionSeq,
			json(task.stats),
			task.updatedAt,
			task.completedAt,
			task.progressAt,
			task.staleness === null ? null : json(task.staleness),
			task.totalSteps,
			...rowMarkCells(marks),
		);
	}

	/** The steps saved in this transaction, written now: before a read that asks SQL about their columns. */
	private writeHeldSteps(): void {
		if (this.held.hasSteps) writeRows(this.exec, STEP_UPDATE, this.held.takeSteps());
	}

	/** The transitions appended in this transaction, written now: before a read of the log. */
	private writeHeldTransitions(): void {
		if (this.held.hasTransitions) writeRows(this.exec, TRANSITION_INSERT, this.held.takeTransitions());
	}

	/** The transaction failed and rolled back: what it saved is forgotten too. */
	discard(): void {
		this.held.forget();
		this.cache.clear();
		this.dirty = null;
		this.committed = null;
		this.rowMarks = null;
		this.rowMarksChanged = false;
		this.insertHeld = false;
		this.meta.clear();
		// The rollback may have undone the tables this transaction created (a create that failed after its
		// first write): what exists is learnt from storage again, once.
		this.schemaReady = false;
		this.schemaAbsent = false;
		this.metaTable = null;
		this.metaAllKnown = false;
		this.taskRowAbsent = false;
		this.eventTable = false;
		this.identity = null;
		this.staged = null;
		// It may hold steps or results the rollback undid: rebuilt from what was committed on next use.
		this.graph = null;
		this.dueTimes = null;
		this.stepIdx = null;
		this.recent = new RecentTransitions();
	}

	insertSteps(steps: readonly StepRecord[], edges: ReadonlyArray<readonly [number, number]>): void {
		this.ensureSchema();
		// Each edge is kept in its parent's row: a new step's children go in with it, and a step that
		// already exists (a decision's or a batch's new branches) has its list rewritten whole.
		const added = new Map<number, number[]>();
		for (const [parent, child] of edges) {
			const children = added.get(parent);
			if (children) children.push(child);
			else added.set(parent, [child]);
		}
		const newIdx = new Set(steps.map((s) => s.idx));
		const widened: Array<[number, number[]]> = [];
		for (const [parent, children] of added)
			if (!newIdx.has(parent))
				widened.push([parent, mergeChildren(parent, this.storedChildren(parent), children)]);
		const rows = steps.map((s) => stepInsertRow(s, mergeChildren(s.idx, [], added.get(s.idx) ?? [])));
		writeRows(this.exec, STEP_INSERT, rows);
		for (const [parent, children] of widened)
			this.exec("UPDATE step SET children = ? WHERE idx = ?", childrenCell(children), parent);
		// After the writes: a failed insert leaves the graph as storage has it.
		const graph = this.graph;
		if (graph) {
			for (const s of steps)
				graph.addStep(
					s.idx,
					s.name,
					s.result === null ? null : { value: parse<{ result: unknown }>(json(s.result)).result },
				);
			for (const [parent, child] of edges) graph.addEdge(parent, child);
		}
		for (const s of steps) this.dueTimes?.set(s);
		for (const s of steps) this.stepIdx?.set(s.stepUuid, s.idx);
		for (const [i, s] of steps.entries()) this.cache.put(s, charsOf(rows[i]?.[STEP_INSERT_RESULT]));
	}

	recordDomainEvents(events: readonly DomainEventMessage[], dueAt: number): void {
		if (events.length === 0) return;
		this.exec(DOMAIN_EVENT_TABLE);
		this.eventTable = true;
		for (const event of events) {
			this.exec(
				`INSERT INTO domain_event (event_id, body, recorded_at, due_at, sent_at, send_attempts)
				VALUES (?, ?, ?, ?, NULL, 0)`,
				event.event_id,
				json(event),
				Date.parse(event.metadata.fired_at),
				dueAt,
			);
		}
	}

	/**
	 * Whether any event was ever recorded here. Asked only by the alarm of a task whose stats count
	 * recorded events, and by the events route: never on a plain task's paths.
	 */
	private hasEventTable(): boolean {
		if (this.eventTable) return true;
		if (!this.hasSchema()) return false;
		const found = this.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'domain_event'");
		this.eventTable = found.length > 0;
		return this.eventTable;
	}

	/** Events still owed whose due time has come (the alarm's re-send), oldest first. */
	domainEventsDue(now: number, limit: number): DomainEventMessage[] {
		if (!this.hasEventTable()) return [];
		return this.exec(
			"SELECT body FROM domain_event WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY seq LIMIT ?",
			now,
			limit,
		).map((row) => parse<DomainEventMessage>(row.body));
	}

	/** The queue has them: no longer owed. */
	confirmDomainEvents(eventIds: readonly string[], now: number): void {
		for (const id of eventIds) {
			this.exec(
				"UPDATE domain_event SET due_at = NULL, sent_at = ?, send_attempts = send_attempts + 1 WHERE event_id = ?",
				now,
				id,
			);
		}
	}

	/** A send that failed: still owed, from `dueAt`. */
	domainEventsSendFailed(eventIds: readonly string[], dueAt: number): void {
		for (const id of eventIds) {
			this.exec(
				"UPDATE domain_event SET due_at = ?, send_attempts = send_attempts + 1 WHERE event_id = ? AND due_at IS NOT NULL",
				dueAt,
				id,
			);
		}
	}

	/** Every event of the task, in the order recorded, with its delivery state. */
	listDomainEvents(): StoredDomainEvent[] {
		if (!this.hasEventTable()) return [];
		return this.exec(
			"SELECT body, recorded_at, due_at, sent_at, send_attempts FROM domain_event ORDER BY seq",
		).map((row) => ({
			event: parse<DomainEventMessage>(row.body),
			recordedAt: num(row.recorded_at),
			sentAt: numOrNull(row.sent_at),
			owed: row.due_at !== null && row.due_at !== undefined,
			sendAttempts: num(row.send_attempts),
		}));
	}

	getStep(stepUuid: string): StepRecord | null {
		if (!this.hasSchema()) return null;
		const idx = this.stepIdxByUuid().get(stepUuid);
		if (idx === undefined) return null;
		return this.stepAt(idx);
	}

	/** A step by idx: as saved in this transaction if it was, else as last written or read, else as stored. */
	private stepAt(idx: number): StepRecord | null {
		const known = this.held.stepAt(idx) ?? this.cache.get(idx);
		if (known) return known;
		const row = this.exec("SELECT * FROM step WHERE idx = ?", idx)[0];
		return row ? this.fromRow(row) : null;
	}

	/**
	 * A step read from storage, or as saved in this transaction if it was (its newer state). Not cached: the
	 * reads by many rows (a listing, a wide fan-out's children) would only churn the cache.
	 */
	private readonly heldOrRow = (row: Row): StepRecord => this.held.stepAt(num(row.idx)) ?? stepFromRow(row);

	/** A step row read by its idx, kept in the cache for the next claim or report of it. */
	private fromRow(row: Row): StepRecord {
		const step = stepFromRow(row);
		this.cache.put(step, charsOf(row.result));
		return step;
	}

	listSteps(): StepRecord[] {
		if (!this.hasSchema()) return [];
		return this.exec("SELECT * FROM step ORDER BY idx").map(this.heldOrRow);
	}

	listStepsIn(states: readonly StepState[]): StepRecord[] {
		if (!this.hasSchema() || states.length === 0) return [];
		// Asks SQL about a column a held step may have changed.
		this.writeHeldSteps();
		const marks = states.map(() => "?").join(", ");
		return this.exec(`SELECT * FROM step WHERE state IN (${marks}) ORDER BY idx`, ...states).map(stepFromRow);
	}

	childrenOf(idx: number): StepRecord[] {
		// From memory when the graph and every child are held (a small task's report); else the parent's
		// list and the children's rows.
		if (this.graph) {
			const children = this.graph
				.childrenOf(idx)
				.map((child) => this.held.stepAt(child) ?? this.cache.get(child));
			if (children.every((child) => child !== undefined)) return children as StepRecord[];
		}
		const children = this.storedChildren(idx);
		if (children.length === 0) return [];
		return this.exec(
			"SELECT * FROM step WHERE idx IN (SELECT value FROM json_each(?)) ORDER BY idx",
			JSON.stringify(children),
		).map(this.heldOrRow);
	}

	/** A step's children as stored: from the held graph if there is one, else from its row. */
	private storedChildren(idx: number): number[] {
		if (this.graph) return this.graph.childrenOf(idx);
		if (!this.hasSchema()) return [];
		return childrenOfCell(this.exec("SELECT children FROM step WHERE idx = ?", idx)[0]?.children);
	}

	saveStep(s: StepRecord): void {
		const row = stepUpdateRow(s);
		if (this.held.isHolding) this.held.setStep(s, row);
		else writeRows(this.exec, STEP_UPDATE, [row]);
		this.cache.put(s, charsOf(row[STEP_UPDATE_RESULT]));
		// The result column, as storage will hold it.
		const result = row[STEP_UPDATE_RESULT] as string | null;
		// As storage will read it back (plain JSON, a copy the caller cannot change): the graph hands it out to
		// every descendant. Parsed only while the graph is held.
		if (this.graph) {
			this.graph.setResult(
				s.idx,
				result === null ? null : { value: parse<{ result: unknown }>(result).result },
			);
		}
		this.dueTimes?.set(s);
	}

	/** From the graph held in memory: no rows read, but on the first use after the object was loaded. */
	ancestorResults(idx: number): Record<string, unknown> {
		return this.resultGraph().ancestorResults(idx);
	}

	inputsToken(): string {
		return this.resultGraph().token;
	}

	resultAsInput(idx: number): { value: unknown } | null {
		return this.resultGraph().resultOf(idx);
	}

	/**
	 * The graph, rebuilt from storage in one read (every step's name, uuid, result and children) if not
	 * held; the same read of the steps rebuilds their uuids' index if that is missing too.
	 */
	private resultGraph(): TaskResultGraph {
		if (this.graph) return this.graph;
		const graph = new TaskResultGraph();
		const ids = this.stepIdx ? null : new Map<string, number>();
		if (this.hasSchema()) {
			this.writeHeldSteps();
			const edges: Array<[number, number[]]> = [];
			for (const row of this.exec("SELECT idx, name, step_uuid, result, children FROM step")) {
				const result =
					row.result === null || row.result === undefined ? null : parse<{ result: unknown }>(row.result);
				graph.addStep(num(row.idx), String(row.name), result === null ? null : { value: result.result });
				ids?.set(String(row.step_uuid), num(row.idx));
				if (row.children !== null && row.children !== undefined)
					edges.push([num(row.idx), childrenOfCell(row.children)]);
			}
			// Once every step is in: an edge joins two held steps.
			for (const [parent, children] of edges) for (const child of children) graph.addEdge(parent, child);
		}
		this.graph = graph;
		if (ids) this.stepIdx = ids;
		return graph;
	}

	/** Each step's idx by uuid, rebuilt in one read (every step's idx and uuid) if not held. */
	private stepIdxByUuid(): Map<string, number> {
		if (this.stepIdx) return this.stepIdx;
		const ids = new Map<string, number>();
		if (this.hasSchema())
			for (const row of this.exec("SELECT idx, step_uuid FROM step"))
				ids.set(String(row.step_uuid), num(row.idx));
		this.stepIdx = ids;
		return ids;
	}

	// The alarm's questions, answered from memory (see StepDueTimes); only the due steps themselves are read.
	dispatchesDue(now: number, limit: number): StepRecord[] {
		return this.stepsAt(this.stepDueTimes().dispatchesDue(now, limit));
	}

	retriesDue(now: number, limit: number): StepRecord[] {
		return this.stepsAt(this.stepDueTimes().retriesDue(now, limit));
	}

	deadlinesDue(now: number, limit: number): StepRecord[] {
		return this.stepsAt(this.stepDueTimes().deadlinesDue(now, limit));
	}

	nextDueAt(includeRetries: boolean): number | null {
		return this.stepDueTimes().nextDueAt(includeRetries);
	}

	private stepsAt(indexes: readonly number[]): StepRecord[] {
		const steps: StepRecord[] = [];
		for (const idx of indexes) {
			const step = this.stepAt(idx);
			if (step) steps.push(step);
		}
		return steps;
	}

	/** The due times, rebuilt by one scan of the steps that have any, if not held. */
	private stepDueTimes(): StepDueTimes {
		if (this.dueTimes) return this.dueTimes;
		const due = new StepDueTimes();
		if (this.hasSchema()) {
			this.writeHeldSteps();
			const rows = this.exec(
				`SELECT idx, state, dispatch_due_at, next_retry_at, deadline_at FROM step
				WHERE dispatch_due_at IS NOT NULL OR next_retry_at IS NOT NULL OR deadline_at IS NOT NULL`,
			);
			for (const row of rows) {
				due.set({
					idx: num(row.idx),
					state: String(row.state),
					dispatchDueAt: numOrNull(row.dispatch_due_at),
					nextRetryAt: numOrNull(row.next_retry_at),
					deadlineAt: numOrNull(row.deadline_at),
				});
			}
		}
		this.dueTimes = due;
		return due;
	}

	appendTransition(t: TransitionRecord): void {
		this.ensureSchema();
		const metadata = json(t.metadata);
		const row = [
			t.stepIdx ?? TASK_LOG,
			t.seq,
			t.stepUuid,
			t.stepName,
			t.fromState,
			t.toState,
			t.attempt,
			t.at,
			metadata,
		];
		if (this.held.isHolding) this.held.addTransition(row);
		else writeRows(this.exec, TRANSITION_INSERT, [row]);
		// As storage will read it back: plain JSON, whatever the caller's record holds.
		this.recent.append({ ...t, metadata: JSON.parse(metadata) });
	}

	listTransitions(stepUuid: string | null): TransitionRecord[] {
		if (!this.hasSchema()) return [];
		const stepIdx = stepUuid === null ? TASK_LOG : this.getStep(stepUuid)?.idx;
		if (stepIdx === undefined) return [];
		this.writeHeldTransitions();
		return this.exec("SELECT * FROM transition WHERE step_idx = ? ORDER BY seq", stepIdx).map(toTransition);
	}

	loadBlueprint(): DynamicBlueprint | null {
		const value = this.getMeta(BLUEPRINT_KEY);
		return typeof value === "string" ? parse<DynamicBlueprint>(value) : null;
	}

	saveBlueprint(blueprint: DynamicBlueprint): void {
		this.setMeta(BLUEPRINT_KEY, json(blueprint));
	}

	loadDynamicState(): DynamicState | null {
		const value = this.getMeta(DYNAMIC_STATE_KEY);
		return typeof value === "string" ? parse<DynamicState>(value) : null;
	}

	saveDynamicState(state: DynamicState): void {
		this.setMeta(DYNAMIC_STATE_KEY, json(state));
	}

	/** Staged in meta, in this transaction; FleetSync pushes them to D1 and removes those that landed. */
	stageDlqEntry(entry: DlqEntry): void {
		const staged = [...this.stagedDlqEntries(), entry];
		this.setMeta(DLQ_STAGED_KEY, json(staged));
		this.staged = staged;
	}

	/** DLQ entries made by this task and not yet written to D1, oldest first (read from storage once). */
	stagedDlqEntries(): DlqEntry[] {
		if (this.staged === null) {
			const value = this.getMeta(DLQ_STAGED_KEY);
			this.staged = typeof value === "string" ? parse<DlqEntry[]>(value) : [];
		}
		return [...this.staged];
	}

	/** These entries have landed in D1: they are no longer staged. */
	unstageDlqEntries(landed: ReadonlySet<string>): void {
		const left = this.stagedDlqEntries().filter((entry) => !landed.has(entry.dlq_entry_uuid));
		this.setMeta(DLQ_STAGED_KEY, left.length === 0 ? null : json(left));
		this.staged = left;
	}

	/**
	 * The transitions logged after `afterSeq`, up to `uptoSeq`, of every step and the task (metrics
	 * pushes, stream updates). The recent stretch comes from memory; an older one is a scan: the log has no
	 * index on seq, which would cost a billed row per transition.
	 */
	transitionsBetween(afterSeq: number, uptoSeq: number): TransitionRecord[] {
		if (!this.hasSchema() || uptoSeq <= afterSeq) return [];
		const recent = this.recent.between(afterSeq, uptoSeq);
		if (recent) return recent;
		this.writeHeldTransitions();
		return this.exec("SELECT * FROM transition WHERE seq > ? AND seq <= ?", afterSeq, uptoSeq).map(
			toTransition,
		);
	}
}

function identityFromRow(row: Row): TaskIdentity {
	return {
		taskUuid: String(row.task_uuid),
		name: String(row.name),
		namespace: String(row.namespace),
		version: String(row.version),
		context: parse(row.context),
		initiator: String(row.initiator),
		sourceSystem: String(row.source_system),
		reason: String(row.reason),
		tags: parse(row.tags),
		priority: num(row.priority),
		correlationId: String(row.correlation_id),
		parentCorrelationId: strOrNull(row.parent_correlation_id),
		createdAt: num(row.created_at),
	};
}

function toTransition(row: Row): TransitionRecord {
	const stepIdx = num(row.step_idx);
	return {
		seq: num(row.seq),
		stepIdx: stepIdx === TASK_LOG ? null : stepIdx,
		stepUuid: strOrNull(row.step_uuid),
		stepName: strOrNull(row.step_name),
		fromState: strOrNull(row.from_state),
		toState: String(row.to_state),
		attempt: numOrNull(row.attempt),
		at: num(row.at),
		metadata: parse(row.metadata),
	};
}
