// Reads a JSON request body and validates it: an empty body, bad JSON or a wrong field is a 400
// that says exactly what is wrong, before anything is created.
import type { Context } from "hono";
import type { z } from "zod";
import { MAX_NESTING_DEPTH } from "../limits";
import { describeIssues, formatPath } from "../validation/field-schemas";
import { type StorableValueProblem, storableValueProblem } from "../validation/storable-value";
import { badRequest } from "./api-error";

export async function readJsonBody<Schema extends z.ZodType>(
	c: Context,
	schema: Schema,
): Promise<z.output<Schema>> {
	const text = await c.req.text();
	if (text.trim() === "") throw badRequest("the request body is empty: expected a JSON object");
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		throw badRequest(`the request body is not valid JSON: ${(error as Error).message}`);
	}
	// JSON.parse reads any depth and any number, but what is stored is the value serialised again: too deep
	// would overflow, 1e999 would come back null, a "__proto__" key would be gone.
	const problem = storableValueProblem(value, MAX_NESTING_DEPTH);
	if (problem !== null) throw badRequest(unstorableMessage(problem));
	const parsed = schema.safeParse(value);
	if (!parsed.success) throw badRequest(describeIssues(parsed.error).join("; "));
	return parsed.data;
}

function unstorableMessage(problem: StorableValueProblem): string {
	const at = problem.path.length === 0 ? "the request body" : formatPath(problem.path);
	switch (problem.kind) {
		case "not_finite":
			return `${at}: a number beyond ±1.8e308 (it reads as Infinity): expected a finite number`;
		case "proto_key":
			return `${at}: the key "__proto__" is not accepted (JavaScript objects drop it); rename it`;
		default:
			return `the request body nests arrays and objects more than ${MAX_NESTING_DEPTH} levels deep (at ${formatPath(problem.path.slice(0, 6))}…)`;
	}
}
