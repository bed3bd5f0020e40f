// Path and query parameters are checked before any object is reached: a malformed one is a 400, not a lookup.
// These zod schemas are declared in the routes, so the same definition validates a request and documents it.
import { z } from "zod";
import { describeValue } from "../validation/field-schemas";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EXAMPLE_UUID = "019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b";

/** A task or step uuid; any case is accepted, and it is answered in lower case, as objects are named. */
export function uuidParam(description: string) {
	const error = (issue: { input?: unknown }) =>
		`expected a UUID such as ${EXAMPLE_UUID}, got ${describeValue(issue.input)}`;
	return z
		.string({ error })
		.refine((value) => UUID_PATTERN.test(value), { error })
		.transform((value) => value.toLowerCase())
		.meta({ format: "uuid", example: EXAMPLE_UUID, description });
}

const TASK_UUID =
	"The task's uuid: a UUIDv8 derived from its identity, or a UUIDv7 for an always_unique task.";

export const taskUuidParams = z.object({ task_uuid: uuidParam(TASK_UUID) });

export const stepUuidParams = z.object({
	task_uuid: uuidParam(TASK_UUID),
	step_uuid: uuidParam("The workflow step's uuid."),
});
