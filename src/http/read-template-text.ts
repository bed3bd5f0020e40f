// The body of POST /v1/templates/validate: the template's YAML itself (as a file is sent), or JSON
// {"yaml": "..."} for clients that only speak JSON. Only an unusable request is a 400.
import type { Context } from "hono";
import { z } from "zod";
import { describeValue, expecting, strictObject } from "../validation/field-schemas";
import { badRequest } from "./api-error";
import { readJsonBody } from "./read-json-body";

/** The registered type first; the x- forms are what older tools still send. */
export const YAML_MEDIA_TYPES: ReadonlySet<string> = new Set([
	"application/yaml",
	"text/yaml",
	"text/plain",
	"application/x-yaml",
	"text/x-yaml",
]);

const yamlText = expecting("the task template as YAML text");
export const templateTextJsonSchema = strictObject(
	{ yaml: z.string({ error: yamlText }).refine((text) => text.trim() !== "", { error: yamlText }) },
	'a JSON object {"yaml": "..."}',
);

export async function readTemplateText(c: Context): Promise<string> {
	const contentType = c.req.header("content-type");
	const mediaType = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
	if (mediaType === "application/json") return (await readJsonBody(c, templateTextJsonSchema)).yaml;
	// No content type at all is taken as the YAML itself: nothing says otherwise.
	if (mediaType !== "" && !YAML_MEDIA_TYPES.has(mediaType)) {
		throw badRequest(
			`content-type: expected ${[...YAML_MEDIA_TYPES].join(", ")} (the YAML itself) or application/json ({"yaml": "..."}), got ${describeValue(contentType)}`,
		);
	}
	const text = await c.req.text();
	if (text.trim() === "")
		throw badRequest("the request body is empty: expected a task template as YAML text");
	return text;
}
