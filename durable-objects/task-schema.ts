// The task object's SQLite schema. Created on the first write only, so that reading an unknown task
// (a 404) leaves no storage behind.
import { MARKS_INTO_COLUMNS } from "./task-row-marks";

export const SCHEMA_VERSION = 10;

/** Changes to an object created under an older version, applied once when it is next loaded (by version reached). */
export const SCHEMA_MIGRATIONS: ReadonlyArray<{ version: number; statements: readonly string[] }> = [
	{ version: 4, statements: ["ALTER TABLE step ADD COLUMN deadline_at INTEGER"] },
	// A task created before staleness existed keeps no thresholds (null): it is never declared stale.
	{
		version: 5,
		statements: [
			"ALTER TABLE task ADD COLUMN progress_at INTEGER",
			"ALTER TABLE task ADD COLUMN staleness TEXT",
		],
	},
	// The wider template format: a step's method, result_schema and events (null for a plain step).
	{
		version: 6,
		statements: ["ALTER TABLE step ADD COLUMN extras TEXT"],
	},
	// Dynamic workflows: step types, batch inputs, checkpoints and who created a step. An older task has
	// only standard steps, so every new column stays null for it.
	{
		version: 7,
		statements: [
			"ALTER TABLE step ADD COLUMN step_type TEXT",
			"ALTER TABLE step ADD COLUMN template_name TEXT",
			"ALTER TABLE step ADD COLUMN step_inputs TEXT",
			"ALTER TABLE step ADD COLUMN checkpoint TEXT",
			"ALTER TABLE step ADD COLUMN created_by TEXT",
		],
	},
	// A handler's step waiting for an event (StepHandlerResult.waitForEvent): its wait, null otherwise.
	{ version: 8, statements: ["ALTER TABLE step ADD COLUMN handler_wait TEXT"] },
	// The edges move into their parents' rows (step.children), and the edge table goes: a table less for
	// every new task to create, and no row written per edge.
	{
		version: 9,
		statements: [
			"ALTER TABLE step ADD COLUMN children TEXT",
			`UPDATE step SET children = (
				SELECT json_group_array(child) FROM (SELECT child FROM edge WHERE edge.parent = step.idx ORDER BY child)
			) WHERE idx IN (SELECT parent FROM edge)`,
			"DROP TABLE edge",
		],
	},
	// The marks every task writes (schema version, alarm mirror, metrics staged and landed) move from meta
	// rows into the task row (see task-row-marks.ts).
	{ version: 10, statements: MARKS_INTO_COLUMNS },
];

export const SCHEMA_STATEMENTS = [
	// One row. The fields that never change (context, identity) are written once; every event
	// rewrites only the small mutable part, and the marks (task-row-marks.ts) with it.
	`CREATE TABLE IF NOT EXISTS task (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		task_uuid TEXT NOT NULL, name TEXT NOT NULL, namespace TEXT NOT NULL, version TEXT NOT NULL,
		context TEXT NOT NULL, initiator TEXT NOT NULL, source_system TEXT NOT NULL, reason TEXT NOT NULL,
		tags TEXT NOT NULL, priority INTEGER NOT NULL, correlation_id TEXT NOT NULL,
		parent_correlation_id TEXT, created_at INTEGER NOT NULL, total_steps INTEGER NOT NULL,
		status TEXT NOT NULL, counts TEXT NOT NULL, pending_sends INTEGER NOT NULL, transition_seq INTEGER NOT NULL,
		stats TEXT NOT NULL, updated_at INTEGER NOT NULL, completed_at INTEGER, progress_at INTEGER, staleness TEXT,
		schema_version INTEGER, alarm_at INTEGER, metrics_staged TEXT, metrics_landed TEXT
	)`,
	// No index on step_uuid: the store keeps each step's idx by uuid in memory (rebuilt in one read), and
	// an index entry is a billed row written per step. Objects created before keep their unique index.
	// No index on the due times: an index entry is a billed row written each time a due time is set
	// or cleared (twice per step), while only the alarm, a few times a minute at most, looks them up.
	// The edges are each parent's `children` (a JSON list of idx, ascending): read by parent only (a
	// result releases its children), and a step's parents are held in memory (the result graph, rebuilt
	// from these lists), so a table of edges was a table more to create and a billed row per edge.
	`CREATE TABLE IF NOT EXISTS step (
		idx INTEGER PRIMARY KEY, step_uuid TEXT NOT NULL, name TEXT NOT NULL,
		description TEXT, callable TEXT NOT NULL, initialization TEXT NOT NULL, dependencies TEXT NOT NULL,
		retry TEXT NOT NULL, timeout_seconds INTEGER NOT NULL, extras TEXT,
		state TEXT NOT NULL, attempt INTEGER NOT NULL, retry_base INTEGER NOT NULL, unmet_parents INTEGER NOT NULL,
		total_parents INTEGER NOT NULL, dispatch_due_at INTEGER, next_retry_at INTEGER, deadline_at INTEGER,
		result TEXT, last_error TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
		last_attempted_at INTEGER, last_failure_at INTEGER, completed_at INTEGER,
		step_type TEXT, template_name TEXT, step_inputs TEXT, checkpoint TEXT, created_by TEXT, handler_wait TEXT,
		children TEXT
	)`,
	// Append-only: rows are inserted, never updated or deleted. Clustered by step (the task itself is
	// step_idx -1), so one step's log is a range read and appending writes one row, with no index.
	`CREATE TABLE IF NOT EXISTS transition (
		step_idx INTEGER NOT NULL, seq INTEGER NOT NULL, step_uuid TEXT, step_name TEXT, from_state TEXT,
		to_state TEXT NOT NULL, attempt INTEGER, at INTEGER NOT NULL, metadata TEXT NOT NULL,
		PRIMARY KEY (step_idx, seq)
	) WITHOUT ROWID`,
];

/**
 * The meta keys that are not marks of the task row: a dynamic task's plan and progress, the DLQ entries
 * staged for D1. Created by the first of them to be written, so that a plain task never has it.
 */
export const META_TABLE = `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID`;

/**
 * Domain events (publishes_events) recorded with a result: the outbox of the DOMAIN_EVENTS queue.
 * Created by the first event recorded, so that a task whose steps publish none never has it (no
 * write, no read on its paths). due_at is set while the event is owed (from when the alarm may send
 * it again), null once the queue has it.
 */
export const DOMAIN_EVENT_TABLE = `CREATE TABLE IF NOT EXISTS domain_event (
	seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL,
	recorded_at INTEGER NOT NULL, due_at INTEGER, sent_at INTEGER, send_attempts INTEGER NOT NULL
)`;
