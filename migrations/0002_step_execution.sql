-- Analytics (GET /v1/analytics/performance and /bottlenecks): one row per step attempt, pushed by each task
-- object with its metrics, keyed by (task, transition seq) so that a push landing twice writes each row once.
CREATE TABLE IF NOT EXISTS step_execution (
	task_uuid TEXT NOT NULL, seq INTEGER NOT NULL, namespace TEXT NOT NULL, task_name TEXT NOT NULL,
	version TEXT NOT NULL, step_name TEXT NOT NULL, attempt INTEGER NOT NULL, outcome TEXT NOT NULL,
	duration_ms REAL NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (task_uuid, seq)
);
CREATE INDEX IF NOT EXISTS step_execution_by_at ON step_execution (at);
