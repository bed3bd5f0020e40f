-- The schedule index behind GET /v1/schedules and the schedule metrics: one row per schedule, written by
-- its object after each change; a revision guards against late pushes, a tombstone keeps deletions.
CREATE TABLE IF NOT EXISTS schedule_index (
	schedule_id TEXT PRIMARY KEY, namespace TEXT NOT NULL, name TEXT NOT NULL, revision INTEGER NOT NULL,
	deleted INTEGER NOT NULL, created_at TEXT NOT NULL, view TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS schedule_index_by_namespace ON schedule_index (namespace, created_at);
