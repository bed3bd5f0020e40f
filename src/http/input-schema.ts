// A template's `input_schema` enforced at POST /v1/tasks: a context that does not match is a 400 that
// names each failing path and rule, answered before any identity is claimed or task object created.
import { contextMismatch } from "../templates/context-mismatch";
import type { TaskTemplate } from "../templates/task-template";
import { badRequest } from "./api-error";

export function requireContextMatches(template: TaskTemplate, context: Record<string, unknown>): void {
	const mismatch = contextMismatch(template, context);
	if (mismatch !== null) throw badRequest(mismatch);
}
