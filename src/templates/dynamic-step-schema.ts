// The two step keys of dynamic workflows, as the reference spells them: `type` (alias `step_type`) and
// `batch_config`, with the reference's defaults and ranges.
import { z } from "zod";
import {
	DEFAULT_BATCH_PARALLELISM,
	DEFAULT_BATCH_SIZE,
	MAX_BATCH_PARALLELISM,
	MAX_BATCH_SIZE,
	MAX_NAME_LENGTH,
} from "../limits";
import { expecting, intInRange, strictObject, stringOfLength } from "../validation/field-schemas";
import { FAILURE_STRATEGIES, STEP_TYPES } from "./step-types";

export const stepTypeSchema = z.enum(STEP_TYPES, { error: expecting(`one of: ${STEP_TYPES.join(", ")}`) });

export const batchConfigSchema = strictObject(
	{
		batch_size: intInRange(1, MAX_BATCH_SIZE).default(DEFAULT_BATCH_SIZE),
		parallelism: intInRange(1, MAX_BATCH_PARALLELISM).default(DEFAULT_BATCH_PARALLELISM),
		cursor_field: stringOfLength(1, 255, "a field name").default("id"),
		worker_template: stringOfLength(1, MAX_NAME_LENGTH, "the name of a batch_worker step"),
		failure_strategy: z
			.enum(FAILURE_STRATEGIES, { error: expecting(`one of: ${FAILURE_STRATEGIES.join(", ")}`) })
			.default("continue_on_failure"),
	},
	"a mapping such as {worker_template: process_batch, batch_size: 200}",
);
