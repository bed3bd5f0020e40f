// A task context checked against its template's input_schema, wherever a task is asked for: POST /v1/tasks
// answers a mismatch with a 400; a schedule refuses it when it is created or changed, and a run whose
// template changed under it settles as failed instead of starting a task its first step would refuse.
// The schema is compiled once per template (kept by the template object), never per check.
import { MAX_SCHEMA_ERRORS_SHOWN } from "../limits";
import { cachedSchemaCheck, describeViolation } from "../validation/json-schema";
import type { TaskTemplate } from "./task-template";

/** What is wrong with the context, naming each failing path and rule; null when it matches (or no schema). */
export function contextMismatch(template: TaskTemplate, context: Record<string, unknown>): string | null {
	if (template.inputSchema === undefined || template.inputSchema === null) return null;
	const violations = cachedSchemaCheck(template.inputSchema, ["context"])(context);
	if (violations.length === 0) return null;
	const shown = violations.slice(0, MAX_SCHEMA_ERRORS_SHOWN).map(describeViolation);
	const more = violations.length - shown.length;
	return (
		`context does not match the input_schema of task template ${template.namespace}/${template.name} ` +
		`version ${template.version}: ${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}`
	);
}
