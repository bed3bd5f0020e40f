// A template's identity in a path or query, checked by the template schema's own rules: a malformed namespace,
// name or version is a 400 that says what is expected, not a lookup that merely misses.
import type { Context } from "hono";
import type { z } from "zod";
import { templateSchema } from "../templates/template-schema";
import { badRequest } from "./api-error";
import { readQuery } from "./query-params";

/** The version segment that means the newest, as a task request without a version does. */
export const LATEST_VERSION = "latest";

function checked(field: string, schema: z.ZodType<string>, value: string | undefined): string {
	const parsed = schema.safeParse(value);
	if (parsed.success) return parsed.data;
	throw badRequest(`${field}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
}

export const requireNamespace = (field: string, value: string | undefined) =>
	checked(field, templateSchema.shape.namespace_name, value);

export const requireTemplateName = (field: string, value: string | undefined) =>
	checked(field, templateSchema.shape.name, value);

/** A semver version, or undefined for `latest`. */
export function requireVersionOrLatest(field: string, value: string | undefined): string | undefined {
	if (value === LATEST_VERSION) return undefined;
	const parsed = templateSchema.shape.version.safeParse(value);
	if (parsed.success) return parsed.data;
	const message = parsed.error.issues[0]?.message ?? "invalid";
	throw badRequest(`${field}: ${message.replace(/^expected /, `expected "${LATEST_VERSION}" or `)}`);
}

/** The one value of an optional query parameter; any other parameter, or this one twice, is a 400. */
export function optionalSingleQuery(c: Context, name: string): string | undefined {
	return readQuery(c, [name])[name];
}
