// zod building blocks whose messages name the value and what was expected, shared by the template
// schema and the HTTP request schemas: users read these messages, so they must say what to fix. A check
// written as a refinement is also stated as metadata (bounds, pattern), which the OpenAPI spec shows.
import { z } from "zod";
import { closestName } from "./closest-name";

/** A short, quoted rendering of a value for "got ..." in messages. */
export function describeValue(value: unknown): string {
	if (value === undefined) return "nothing";
	if (value === null) return "null (an empty value)";
	if (typeof value === "string") {
		const quoted = JSON.stringify(value);
		return quoted.length > 60 ? `${quoted.slice(0, 57)}..."` : quoted;
	}
	if (Array.isArray(value)) return value.length === 0 ? "an empty list" : `a list of ${value.length} item(s)`;
	if (typeof value === "object") return "a mapping";
	return String(value);
}

type IssueInput = { input?: unknown };

/** One message for every way a field can be wrong (missing, wrong type, out of range), so each field yields one problem. */
export function expecting(expected: string): (issue: IssueInput) => string {
	return (issue) =>
		issue.input === undefined
			? `required but missing: expected ${expected}`
			: `expected ${expected}, got ${describeValue(issue.input)}`;
}

export function intInRange(min: number, max: number) {
	const error = expecting(`an integer from ${min} to ${max}`);
	return z
		.number({ error })
		.refine((n) => Number.isInteger(n) && n >= min && n <= max, { error })
		.meta({ type: "integer", minimum: min, maximum: max });
}

export function stringOfLength(min: number, max: number, what = "a string") {
	const error = expecting(`${what} of ${min} to ${max} characters`);
	return z
		.string({ error })
		.refine((s) => s.length >= min && s.length <= max, { error })
		.meta({ minLength: min, maxLength: max });
}

export function patternedName(pattern: RegExp, maxLength: number, what: string) {
	const error = expecting(`${what} matching ${pattern.source} (at most ${maxLength} characters)`);
	return z
		.string({ error })
		.refine((s) => s.length <= maxLength && pattern.test(s), { error })
		.meta({ pattern: pattern.source, maxLength });
}

export function mapping(what: string) {
	return z.record(z.string(), z.unknown(), { error: expecting(what) });
}

/**
 * `z.strictObject` whose unknown-key message lists the keys allowed there; `hint` may add a word
 * about particular unknown keys (say, ones another system defines).
 */
export function strictObject<Shape extends z.core.$ZodLooseShape>(
	shape: Shape,
	what: string,
	hint: (unknownKeys: readonly string[]) => string = nearestKeysHint(Object.keys(shape)),
) {
	const allowed = Object.keys(shape).join(", ");
	return z.strictObject(shape, {
		error: (issue) => {
			if (issue.code !== "unrecognized_keys") return expecting(what)(issue);
			const keys = issue.keys.map((k) => JSON.stringify(k)).join(", ");
			const label = issue.keys.length === 1 ? "unknown key" : "unknown keys";
			return `${label} ${keys} (expected one of: ${allowed}${hint(issue.keys)})`;
		},
	});
}

/** The unknown-key message's hint by default: the nearest valid key of each typo, if any is near. */
export function nearestKeysHint(allowed: readonly string[]): (unknownKeys: readonly string[]) => string {
	return (keys) => {
		const nearest = keys.flatMap((key) => {
			const near = closestName(key, allowed);
			return near === null ? [] : [{ key, near }];
		});
		if (nearest.length === 0) return "";
		if (keys.length === 1) return `; did you mean "${nearest[0]?.near}"?`;
		return `; did you mean ${nearest.map(({ key, near }) => `"${key}" → "${near}"`).join(", ")}?`;
	};
}

/** Renders `["steps", 2, "dependencies", 0]` as `steps[2].dependencies[0]`; odd keys are quoted. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
	let out = "";
	for (const segment of path) {
		if (typeof segment === "number") out += `[${segment}]`;
		else if (typeof segment === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment))
			out += out === "" ? segment : `.${segment}`;
		else out += `[${JSON.stringify(String(segment))}]`;
	}
	return out;
}

/** Every issue of a failed parse as `path: message`, the whole body's issues first. */
export function describeIssues(error: z.ZodError): string[] {
	return error.issues.map((issue) => {
		const path = formatPath(issue.path);
		return path === "" ? issue.message : `${path}: ${issue.message}`;
	});
}
