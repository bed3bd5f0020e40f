// A schedule's cron expression in its IANA time zone, parsed by croner (no dependencies, real time
// zones, and built without a callback it starts no timer, so it is safe inside a Durable Object).
// Only standard five-field expressions: a seconds field would let one schedule start a task a second.
import { Cron } from "croner";

export type CronCheck = { ok: true; cron: Cron } | { ok: false; field: "cron" | "timezone"; reason: string };

/** Parses `expression` in `timezone`; a problem names the field and the parser's reason. */
export function parseCron(expression: string, timezone: string): CronCheck {
	if (!isTimeZone(timezone)) {
		return {
			ok: false,
			field: "timezone",
			reason: `expected an IANA time zone such as "UTC" or "Europe/Paris", got ${JSON.stringify(timezone)}`,
		};
	}
	const fields = expression.trim().split(/\s+/);
	if (fields.length !== 5) {
		return {
			ok: false,
			field: "cron",
			reason: `expected five fields (minute hour day-of-month month day-of-week), got ${fields.length} in ${JSON.stringify(expression)}`,
		};
	}
	let cron: Cron;
	try {
		// legacyMode (the default): day-of-month and day-of-week are OR-ed, as in Vixie cron.
		cron = new Cron(expression, { timezone, paused: true });
	} catch (error) {
		return { ok: false, field: "cron", reason: `${JSON.stringify(expression)}: ${(error as Error).message}` };
	}
	// An expression such as "0 0 31 2 *" parses but never fires: refused rather than kept silently idle.
	if (cron.nextRun(new Date(0)) === null) {
		return { ok: false, field: "cron", reason: `${JSON.stringify(expression)} never fires` };
	}
	return { ok: true, cron };
}

/** The parsed cron, for an expression already validated (a stored schedule's). */
export function cronOf(expression: string, timezone: string): Cron {
	const check = parseCron(expression, timezone);
	if (!check.ok) throw new Error(`stored schedule has an invalid ${check.field}: ${check.reason}`);
	return check.cron;
}

/** The due times strictly after `after` and at most `until` (epoch ms), oldest first, at most `limit`. */
export function dueTimesBetween(cron: Cron, after: number, until: number, limit: number): number[] {
	const out: number[] = [];
	let cursor = new Date(after);
	while (out.length < limit) {
		const next = cron.nextRun(cursor);
		if (!next || next.getTime() > until) break;
		out.push(next.getTime());
		cursor = next;
	}
	return out;
}

/** The next `count` due times strictly after `after` (epoch ms). */
export function nextDueTimes(cron: Cron, after: number, count: number): number[] {
	return cron.nextRuns(count, new Date(after)).map((date) => date.getTime());
}

function isTimeZone(timezone: string): boolean {
	try {
		new Intl.DateTimeFormat("en-US", { timeZone: timezone });
		return true;
	} catch {
		return false;
	}
}
