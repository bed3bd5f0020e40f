-- The D1 database TASK_INDEX: the task index behind GET /v1/tasks, the fleet-wide metrics and the DLQ
-- entries. Applied by `wrangler d1 migrations apply TASK_INDEX` (--local by `npm run dev` and the tests,
-- --remote by `npm run deploy`). Every statement is IF NOT EXISTS: deployments made before migrations
-- existed had these very tables created at runtime, and this first migration applies over them unchanged.

-- The task index: one row per task, upserted by its task object after each status change.
CREATE TABLE IF NOT EXISTS task_index (
	task_uuid TEXT PRIMARY KEY, name TEXT NOT NULL, namespace TEXT NOT NULL, version TEXT NOT NULL,
	status TEXT NOT NULL, initiator TEXT NOT NULL, source_system TEXT NOT NULL, reason TEXT NOT NULL,
	priority INTEGER NOT NULL, correlation_id TEXT NOT NULL, created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL, completed_at INTEGER
);
CREATE INDEX IF NOT EXISTS task_index_by_created ON task_index (created_at DESC);
CREATE INDEX IF NOT EXISTS task_index_by_namespace ON task_index (namespace, created_at DESC);
CREATE INDEX IF NOT EXISTS task_index_by_status ON task_index (status, created_at DESC);

-- Fleet-wide metrics: counters and step-duration histograms, each task's deltas applied once.
CREATE TABLE IF NOT EXISTS metric_counter (
	name TEXT NOT NULL, namespace TEXT NOT NULL, task TEXT NOT NULL, value INTEGER NOT NULL,
	PRIMARY KEY (name, namespace, task)
) WITHOUT ROWID;
-- One column per bucket of DURATION_BUCKETS_MS (src/core/metrics-delta.ts), b0 to b13, the last unbounded.
CREATE TABLE IF NOT EXISTS step_duration (
	namespace TEXT NOT NULL, task TEXT NOT NULL, step TEXT NOT NULL,
	b0 INTEGER NOT NULL, b1 INTEGER NOT NULL, b2 INTEGER NOT NULL, b3 INTEGER NOT NULL, b4 INTEGER NOT NULL, b5 INTEGER NOT NULL, b6 INTEGER NOT NULL, b7 INTEGER NOT NULL, b8 INTEGER NOT NULL, b9 INTEGER NOT NULL, b10 INTEGER NOT NULL, b11 INTEGER NOT NULL, b12 INTEGER NOT NULL, b13 INTEGER NOT NULL,
	sum_ms REAL NOT NULL, count INTEGER NOT NULL,
	PRIMARY KEY (namespace, task, step)
) WITHOUT ROWID;
-- The highest metrics push applied per task: a push not above it was applied already.
CREATE TABLE IF NOT EXISTS metric_push (task_uuid TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
-- Counted by queue consumers: events that belong to no task (a malformed message).
CREATE TABLE IF NOT EXISTS message_counter (
	name TEXT NOT NULL, queue TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (name, queue)
) WITHOUT ROWID;

-- DLQ entries: at most one pending entry per task (the partial unique index).
CREATE TABLE IF NOT EXISTS dlq_entry (
	dlq_entry_uuid TEXT PRIMARY KEY, task_uuid TEXT NOT NULL, namespace TEXT NOT NULL, task_name TEXT NOT NULL,
	original_state TEXT NOT NULL, dlq_reason TEXT NOT NULL, dlq_timestamp INTEGER NOT NULL,
	task_snapshot TEXT NOT NULL, resolution_status TEXT NOT NULL, resolution_notes TEXT,
	resolved_at INTEGER, resolved_by TEXT, metadata TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS dlq_entry_one_pending ON dlq_entry (task_uuid) WHERE resolution_status = 'pending';
CREATE INDEX IF NOT EXISTS dlq_entry_by_task ON dlq_entry (task_uuid, dlq_timestamp DESC);
CREATE INDEX IF NOT EXISTS dlq_entry_by_status ON dlq_entry (resolution_status, dlq_timestamp DESC);
