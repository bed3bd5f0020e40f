// Reads a JSON request body and validates it: an empty body, bad JSON or a wrong field is a 400
// that says exactly what is wrong, before anything is created.
import type { Context } from "hono";
import type { z } from "zod";
import { describeIssues } from "../validation/field-schemas";
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
	const parsed = schema.safeParse(value);
	if (!parsed.success) throw badRequest(describeIssues(parsed.error).join("; "));
	return parsed.data;
}
