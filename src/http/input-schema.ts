// A template's `input_schema` enforced at POST /v1/tasks: a context that does not match is a 400 that
// names each failing path and rule, answered before any identity is claimed or task object created.
// The schema is compiled once per template (kept by the template object), never per request.
import { MAX_SCHEMA_ERRORS_SHOWN } from "../limits";
import type { TaskTemplate } from "../templates/task-template";
import { cachedSchemaCheck, describeViolation } from "../validation/json-schema";
import { badRequest } from "./api-error";

export function requireContextMatches(template: TaskTemplate, context: Record<string, unknown>): void {
	if (template.inputSchema === undefined || template.inputSchema === null) return;
	const violations = cachedSchemaCheck(template.inputSchema, ["context"])(context);
	if (violations.length === 0) return;
	const shown = violations.slice(0, MAX_SCHEMA_ERRORS_SHOWN).map(describeViolation);
	const more = violations.length - shown.length;
	throw badRequest(
		`context does not match the input_schema of task template ${template.namespace}/${template.name} ` +
			`version ${template.version}: ${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}`,
	);
}
