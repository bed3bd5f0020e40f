// One JSON line per lifecycle event: greppable locally, and structured for Workers Logs in production.
// Each line carries its level; lines below the level set (TASKER_LOG_LEVEL, log-level.ts) are not written.
import { DEFAULT_LOG_LEVEL, LOG_LEVEL_VAR, type LogLevel, levelRank, parseLogLevel } from "./log-level";

/**
 * The level of each event that is not info. Every `…_failed` event is a warning too (eventLevel): a retry,
 * a fallback or the alarm takes over, so nothing is lost, but an operator should see it.
 */
const EVENT_LEVELS: Readonly<Record<string, LogLevel>> = {
	// Per step, when all goes well: the task's own lines (created, complete) already say it ran.
	"step.succeeded": "debug",
	// At-least-once delivery: a duplicate or late message, dropped by its fence.
	"step.claim_dropped": "debug",
	"step.failed": "warn",
	"task.stale": "warn",
	"task.error": "warn",
	"message.malformed": "warn",
	"dead_letter.malformed": "warn",
	"dead_letter.recorded": "warn",
	"dead_letter.dropped": "warn",
	"domain_event.schema_rejected": "warn",
	"pull.delivery_exhausted": "warn",
	"schedule.missed": "warn",
	"schedule.run_deferred": "warn",
	"analytics.retention_invalid": "warn",
	"config.invalid": "error",
	"http.internal_error": "error",
};

export function eventLevel(event: string): LogLevel {
	return EVENT_LEVELS[event] ?? (event.endsWith("_failed") ? "warn" : "info");
}

let threshold = levelRank(DEFAULT_LOG_LEVEL);
/** The raw value last configured, so that configureLogging parses (and complains) only when it changes. */
let configured: unknown;

export function setLogLevel(level: LogLevel): void {
	threshold = levelRank(level);
}

/**
 * Applies TASKER_LOG_LEVEL from a Worker's or an object's env (cheap when unchanged: every entry calls it).
 * A bad value keeps the default and says so once, naming the variable, the value and the levels.
 */
export function configureLogging(env: object): void {
	const value = (env as Record<string, unknown>)[LOG_LEVEL_VAR];
	if (value === configured) return;
	configured = value;
	const parsed = parseLogLevel(value);
	setLogLevel(parsed.ok ? parsed.level : DEFAULT_LOG_LEVEL);
	if (!parsed.ok) logEvent("config.invalid", { variable: LOG_LEVEL_VAR, problem: parsed.problem });
}

export function logEvent(event: string, fields: Record<string, unknown>): void {
	const level = eventLevel(event);
	if (levelRank(level) < threshold) return;
	console.log(JSON.stringify({ event, level, ...fields, at: new Date().toISOString() }));
}
