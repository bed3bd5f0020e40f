// How much the engine logs: TASKER_LOG_LEVEL (a var), as the reference's LOG_LEVEL. Each event has one level
// (log-event.ts); a line is written when its level is at or above the one set. The default, info, keeps
// every lifecycle event of a task and every failure, and leaves out what repeats per step when all goes
// well (a step's success, a duplicate delivery dropped): one line per step is most of a busy Worker's log
// volume, which Workers Logs bills per line, and locally wrangler relays each line through its inspector.
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_LEVEL_VAR = "TASKER_LOG_LEVEL";
export const DEFAULT_LOG_LEVEL: LogLevel = "info";

export type ParsedLogLevel = { ok: true; level: LogLevel } | { ok: false; problem: string };

/** Unset or empty: the default. Anything else must name a level (any case). */
export function parseLogLevel(value: unknown): ParsedLogLevel {
	if (value === undefined || value === null || value === "") return { ok: true, level: DEFAULT_LOG_LEVEL };
	const level = typeof value === "string" ? value.trim().toLowerCase() : null;
	const known = LOG_LEVELS.find((l) => l === level);
	if (known) return { ok: true, level: known };
	return {
		ok: false,
		problem: `${LOG_LEVEL_VAR}: ${JSON.stringify(value)} is not a log level; expected one of ${LOG_LEVELS.join(", ")} (kept ${DEFAULT_LOG_LEVEL})`,
	};
}

export function levelRank(level: LogLevel): number {
	return LOG_LEVELS.indexOf(level);
}
