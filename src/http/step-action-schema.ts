// The body of PATCH /v1/tasks/{uuid}/workflow_steps/{step_uuid}: the reference's StepManualAction,
// tagged by `action_type`. Strict, like every request body here.
import { z } from "zod";
import { MAX_TEXT_FIELD_LENGTH } from "../limits";
import { expecting, mapping, strictObject, stringOfLength } from "../validation/field-schemas";

const text = () => stringOfLength(1, MAX_TEXT_FIELD_LENGTH);
export const STEP_ACTION_TYPES = ["reset_for_retry", "resolve_manually", "complete_manually"] as const;

export const stepActionSchema = z.discriminatedUnion(
	"action_type",
	[
		strictObject({ action_type: z.literal("reset_for_retry"), reason: text(), reset_by: text() }, "a reset"),
		strictObject(
			{ action_type: z.literal("resolve_manually"), reason: text(), resolved_by: text() },
			"a resolution",
		),
		strictObject(
			{
				action_type: z.literal("complete_manually"),
				completion_data: strictObject(
					{ result: z.unknown(), metadata: mapping("a JSON object").optional() },
					"a JSON object with the step's result: {result, metadata?}",
				),
				reason: text(),
				completed_by: text(),
			},
			"a manual completion",
		),
	],
	{ error: actionTypeError },
);

/**
 * The union's own issue sits at `action_type` but carries the whole body: say what action_type was (missing,
 * or which value), not that the body was "a mapping".
 */
function actionTypeError(issue: { input?: unknown }): string {
	const oneOf = `one of: ${STEP_ACTION_TYPES.join(", ")}`;
	const body = issue.input;
	if (typeof body !== "object" || body === null || Array.isArray(body)) {
		return expecting(`an object whose action_type is ${oneOf}`)({ input: body });
	}
	return expecting(oneOf)({ input: (body as { action_type?: unknown }).action_type });
}
