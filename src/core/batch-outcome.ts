// A batchable step's result, read in the reference's wire shape:
// `batch_processing_outcome: {type: "create_batches", worker_template_name, worker_count, cursor_configs,
// total_items} | {type: "no_batches"}`, turned into the workers to create with their cursor inputs.
import { MAX_BATCH_WORKERS, MAX_NAME_LENGTH } from "../limits";
import type { StepToCreate } from "./create-dynamic-steps";
import { dynamicStepError } from "./dynamic-errors";
import type { SerializedStepError } from "./step-outcome";
import type { PlanStep, WorkflowPlan } from "./workflow-plan";

/** The placeholder worker of `no_batches` (the reference's batch id "000"), so the DAG keeps its shape. */
export const NO_OP_BATCH_ID = "000";
const BATCH_ID_PATTERN = /^[A-Za-z0-9_]+$/;

export type BatchPlan = { ok: true; workers: StepToCreate[] } | { ok: false; error: SerializedStepError };

export function readBatchOutcome(
	plan: WorkflowPlan,
	analyzer: string,
	initialization: Record<string, unknown>,
	result: unknown,
): BatchPlan {
	const outcome = isRecord(result) ? result.batch_processing_outcome : undefined;
	const fail = (code: string, message: string): BatchPlan => ({
		ok: false,
		error: dynamicStepError("BatchProcessingError", code, message, { analyzer }),
	});
	const workersOf = plan.steps.filter((s) => s.type === "batch_worker" && s.analyzer === analyzer);
	const templateNamed = (name: unknown): PlanStep | undefined => workersOf.find((w) => w.name === name);
	if (!isRecord(outcome)) {
		return fail(
			"missing_batch_outcome",
			`batchable step "${analyzer}" returned no batch_processing_outcome: expected {type: "create_batches", ...} or {type: "no_batches"} in its result`,
		);
	}
	if (outcome.type === "no_batches") {
		const named = initialization.worker_template_name;
		const template = named === undefined ? workersOf[0] : templateNamed(named);
		if (!template) {
			return fail(
				"unknown_worker_template",
				`handler.initialization.worker_template_name of "${analyzer}" is ${JSON.stringify(named)}: expected one of its batch_worker steps (${workersOf.map((w) => w.name).join(", ")})`,
			);
		}
		const cursor = { batch_id: NO_OP_BATCH_ID, start_cursor: 0, end_cursor: 0, batch_size: 0 };
		return { ok: true, workers: [worker(template, cursor, true)] };
	}
	if (outcome.type !== "create_batches") {
		return fail(
			"invalid_batch_outcome",
			`batchable step "${analyzer}" returned batch_processing_outcome.type ${JSON.stringify(outcome.type) ?? "nothing"}: expected "create_batches" or "no_batches"`,
		);
	}
	const template = templateNamed(outcome.worker_template_name);
	if (!template) {
		return fail(
			"unknown_worker_template",
			`worker_template_name ${JSON.stringify(outcome.worker_template_name) ?? "nothing"} is not a batch_worker step of "${analyzer}": expected one of ${workersOf.map((w) => `"${w.name}"`).join(", ")}`,
		);
	}
	const configs = outcome.cursor_configs;
	const count = outcome.worker_count;
	if (!Array.isArray(configs) || configs.length === 0 || configs.length > MAX_BATCH_WORKERS) {
		return fail(
			"invalid_cursor_configs",
			`cursor_configs must be a list of 1 to ${MAX_BATCH_WORKERS} cursors (MAX_BATCH_WORKERS), got ${Array.isArray(configs) ? `${configs.length}` : "none"}; use {type: "no_batches"} for nothing to do`,
		);
	}
	if (count !== configs.length) {
		return fail(
			"invalid_worker_count",
			`worker_count ${JSON.stringify(count) ?? "nothing"} does not equal the ${configs.length} cursor_configs`,
		);
	}
	if (!Number.isInteger(outcome.total_items) || (outcome.total_items as number) < 0) {
		return fail(
			"invalid_total_items",
			`total_items must be an integer >= 0, got ${JSON.stringify(outcome.total_items) ?? "nothing"}`,
		);
	}
	const seen = new Set<string>();
	const workers: StepToCreate[] = [];
	for (const [i, config] of configs.entries()) {
		const id = isRecord(config) ? config.batch_id : undefined;
		const batchId = typeof id === "number" && Number.isInteger(id) ? String(id) : id;
		if (typeof batchId !== "string" || !BATCH_ID_PATTERN.test(batchId)) {
			return fail(
				"invalid_batch_id",
				`cursor_configs[${i}].batch_id is ${JSON.stringify(id) ?? "nothing"}: expected letters, digits or _ (it names the worker ${template.name}_{batch_id})`,
			);
		}
		if (seen.has(batchId))
			return fail("duplicate_batch_id", `cursor_configs[${i}].batch_id "${batchId}" appears twice`);
		seen.add(batchId);
		const name = `${template.name}_${batchId}`;
		if (name.length > MAX_NAME_LENGTH || plan.steps.some((s) => s.name === name)) {
			return fail(
				"invalid_batch_id",
				`worker name "${name}" is longer than ${MAX_NAME_LENGTH} characters or is a step of the template`,
			);
		}
		const record = config as Record<string, unknown>;
		const size = record.batch_size;
		if (size !== undefined && (!Number.isInteger(size) || (size as number) < 0)) {
			return fail(
				"invalid_cursor_configs",
				`cursor_configs[${i}].batch_size must be an integer >= 0, got ${JSON.stringify(size)}`,
			);
		}
		workers.push(
			worker(
				template,
				{
					batch_id: batchId,
					start_cursor: record.start_cursor ?? null,
					end_cursor: record.end_cursor ?? null,
					batch_size: size ?? 0,
				},
				false,
			),
		);
	}
	return { ok: true, workers };
}

/** A worker with the reference's `BatchWorkerInputs`: its cursor, the batch metadata, and whether it is the no-op. */
function worker(template: PlanStep, cursor: Record<string, unknown>, isNoOp: boolean): StepToCreate {
	const config = template.batchConfig;
	return {
		template: template.name,
		name: `${template.name}_${cursor.batch_id as string}`,
		stepInputs: {
			cursor,
			batch_metadata: {
				cursor_field: config?.cursorField ?? "id",
				failure_strategy: config?.failureStrategy ?? "continue_on_failure",
			},
			is_no_op: isNoOp,
		},
	};
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
