// Reads a JSON request body and validates it: an empty body, bad JSON or a wrong field is a 400
// that says exactly what is wrong, before anything is created.
import type { Context } from "hono";
import type { z } from "zod";
import { MAX_NESTING_DEPTH } from "../limits";
import { describeIssues, formatPath } from "../validation/field-schemas";
import { nestingProblem } from "../validation/nesting";
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
	// JSON.parse reads any depth, but storing the value means serialising it again, which would overflow.
	const nesting = nestingProblem(value, MAX_NESTING_DEPTH);
	if (nesting !== null) {
		throw badRequest(
			`the request body nests arrays and objects more than ${MAX_NESTING_DEPTH} levels deep (at ${formatPath(nesting.path.slice(0, 6))}…)`,
		);
	}
	const parsed = schema.safeParse(value);
	if (!parsed.success) throw badRequest(describeIssues(parsed.error).join("; "));
	return parsed.data;
}
