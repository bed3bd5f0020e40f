// The failure a decision, batch or checkpoint result turns into when it cannot be applied: permanent
// (no retry would change the template or the handler's logic), naming what was wrong.
import type { SerializedStepError } from "./step-outcome";

export function dynamicStepError(
	name: "DecisionPointError" | "BatchProcessingError" | "CheckpointError",
	code: string,
	message: string,
	metadata: Record<string, unknown> = {},
): SerializedStepError {
	return {
		name,
		error_type: "permanent_error",
		error_code: code,
		message,
		retryable: false,
		retry_after_seconds: null,
		metadata,
	};
}
