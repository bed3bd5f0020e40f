// The body of POST /v1/tasks: the reference's TaskRequest in snake_case. Strict, so that a
// misspelt field is an error that names it rather than a silently ignored input.
import { z } from "zod";
import {
	MAX_IDEMPOTENCY_KEY_LENGTH,
	MAX_NAME_LENGTH,
	MAX_NAMESPACE_LENGTH,
	MAX_TAGS,
	MAX_TEXT_FIELD_LENGTH,
} from "../limits";
import { expecting, intInRange, mapping, strictObject, stringOfLength } from "../validation/field-schemas";

const text = () => stringOfLength(1, MAX_TEXT_FIELD_LENGTH);

export const taskRequestSchema = strictObject(
	{
		name: stringOfLength(1, MAX_NAME_LENGTH, "a template name"),
		namespace: stringOfLength(1, MAX_NAMESPACE_LENGTH, "a namespace").default("default"),
		/** Omitted: the newest registered version of the template. */
		version: stringOfLength(1, 64, "a semver version").optional(),
		context: mapping("a JSON object (the task's input data)"),
		initiator: text(),
		source_system: text(),
		reason: text(),
		tags: z
			.array(stringOfLength(1, MAX_TEXT_FIELD_LENGTH, "a tag"), { error: expecting("a list of strings") })
			.max(MAX_TAGS, { error: `at most ${MAX_TAGS} tags` })
			.default([]),
		priority: intInRange(-100, 100).default(0),
		correlation_id: text().optional(),
		parent_correlation_id: text().optional(),
		/** Names the submission: a second one with the same key (and template) is a 409, whatever its context. */
		idempotency_key: stringOfLength(1, MAX_IDEMPOTENCY_KEY_LENGTH, "an idempotency key").optional(),
	},
	"a JSON object (the task request)",
);

export type TaskRequest = z.output<typeof taskRequestSchema>;
