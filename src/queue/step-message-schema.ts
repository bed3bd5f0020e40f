// Validates a queue message before anything acts on it: a malformed or foreign message is acked and
// logged, never retried (it would fail the same way every time).
import { z } from "zod";
import { STEP_MESSAGE_VERSION, type StepMessage } from "../core/step-message";

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

const stepMessageSchema = z.object({
	v: z.literal(STEP_MESSAGE_VERSION),
	task_uuid: uuid,
	step_uuid: uuid,
	step_name: z.string().min(1),
	namespace: z.string().min(1),
	attempt: z.number().int().min(1),
});

export function parseStepMessage(
	body: unknown,
): { ok: true; message: StepMessage } | { ok: false; problem: string } {
	const parsed = stepMessageSchema.safeParse(body);
	if (parsed.success) return { ok: true, message: parsed.data };
	const problem = parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
	return { ok: false, problem };
}
