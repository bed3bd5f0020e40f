// Query parameters, strictly: an unknown parameter or one given twice is a 400, so that a misspelt
// filter never silently answers as if there were none.
import type { Context } from "hono";
import { badRequest } from "./api-error";

/** The single value of each allowed parameter (undefined when absent). */
export function readQuery<Name extends string>(
	c: Context,
	allowed: readonly Name[],
): Partial<Record<Name, string>> {
	const queries = c.req.queries();
	const unknown = Object.keys(queries).filter((key) => !(allowed as readonly string[]).includes(key));
	if (unknown.length > 0) {
		const label = unknown.length === 1 ? "unknown query parameter" : "unknown query parameters";
		throw badRequest(
			`${label} ${unknown.map((k) => JSON.stringify(k)).join(", ")} (expected: ${allowed.join(", ")})`,
		);
	}
	const values: Partial<Record<Name, string>> = {};
	for (const name of allowed) {
		const given = queries[name];
		if (given === undefined) continue;
		if (given.length > 1) throw badRequest(`${name}: expected one value, got ${given.length}`);
		values[name] = given[0];
	}
	return values;
}
