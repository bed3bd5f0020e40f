// A step as rows of the task object's step table: the columns written when it is created, the columns its
// life changes, and a row read back as the engine's record. The store writes both kinds through bulk-rows.
import type { StepRecord } from "../src/core/task-records";
import { type BulkValue, insertStatement, updateStatement } from "./bulk-rows";
import { json, num, numOrNull, parse, type Row, strOrNull } from "./sql-cells";

/**
 * Row by row at any count: with 31 columns, reading each back out of a JSON row cost more than a statement
 * per row (1,000 steps inserted, measured in the Workers pool: 37 ms together, 26 ms one by one).
 */
export const STEP_INSERT = insertStatement(
	"step",
	[
		"idx",
		"step_uuid",
		"name",
		"description",
		"callable",
		"initialization",
		"dependencies",
		"retry",
		"timeout_seconds",
		"extras",
		"state",
		"attempt",
		"retry_base",
		"unmet_parents",
		"total_parents",
		"dispatch_due_at",
		"next_retry_at",
		"deadline_at",
		"result",
		"last_error",
		"created_at",
		"updated_at",
		"last_attempted_at",
		"last_failure_at",
		"completed_at",
		"step_type",
		"template_name",
		"step_inputs",
		"checkpoint",
		"created_by",
		"children",
	],
	{ rowByRow: true },
);
/** Only the fields a step's life changes; its definition was written once at creation. */
export const STEP_UPDATE = updateStatement("step", "idx", [
	"state",
	"attempt",
	"retry_base",
	"unmet_parents",
	"dispatch_due_at",
	"next_retry_at",
	"deadline_at",
	"result",
	"last_error",
	"updated_at",
	"last_attempted_at",
	"last_failure_at",
	"completed_at",
	"checkpoint",
	"dependencies",
	"total_parents",
	"handler_wait",
]);
/** Where a step's result is in STEP_INSERT's and STEP_UPDATE's rows. */
export const STEP_INSERT_RESULT = 18;
export const STEP_UPDATE_RESULT = 7;

/**
 * A new step's row, in STEP_INSERT's columns. `children`: the steps that depend on it directly, ascending
 * (the task's edges are kept by parent, in the parent's row: a result releases its children).
 */
export function stepInsertRow(s: StepRecord, children: readonly number[] = []): BulkValue[] {
	return [
		s.idx,
		s.stepUuid,
		s.name,
		s.description,
		s.callable,
		json(s.initialization),
		json(s.dependencies),
		json(s.retry),
		s.timeoutSeconds,
		s.extras ? json(s.extras) : null,
		s.state,
		s.attempt,
		s.retryBase,
		s.unmetParents,
		s.totalParents,
		s.dispatchDueAt,
		s.nextRetryAt,
		s.deadlineAt,
		s.result === null ? null : json(s.result),
		s.lastError === null ? null : json(s.lastError),
		s.createdAt,
		s.updatedAt,
		s.lastAttemptedAt,
		s.lastFailureAt,
		s.completedAt,
		s.stepType ?? null,
		s.templateName ?? null,
		s.stepInputs ? json(s.stepInputs) : null,
		s.checkpoint ? json(s.checkpoint) : null,
		s.createdBy ?? null,
		childrenCell(children),
	];
}

/** The `children` column: a JSON list of idx, ascending, or null for a step nothing depends on. */
export function childrenCell(children: readonly number[]): string | null {
	return children.length === 0 ? null : JSON.stringify(children);
}

/**
 * A step's children with more added, ascending (as the column keeps them). An edge given twice is an
 * engine bug: refused, as the edge table's primary key refused it.
 */
export function mergeChildren(
	parent: number,
	children: readonly number[],
	added: readonly number[],
): number[] {
	const merged = new Set(children);
	for (const child of added) {
		if (merged.has(child)) throw new Error(`duplicate edge ${parent} -> ${child}`);
		merged.add(child);
	}
	return [...merged].sort((a, b) => a - b);
}

/** The `children` column read back (null: none). */
export function childrenOfCell(value: SqlStorageValue | undefined): number[] {
	return typeof value === "string" ? (JSON.parse(value) as number[]) : [];
}

/** A step's changed fields then its idx, in STEP_UPDATE's columns. */
export function stepUpdateRow(s: StepRecord): BulkValue[] {
	return [
		s.state,
		s.attempt,
		s.retryBase,
		s.unmetParents,
		s.dispatchDueAt,
		s.nextRetryAt,
		s.deadlineAt,
		s.result === null ? null : json(s.result),
		s.lastError === null ? null : json(s.lastError),
		s.updatedAt,
		s.lastAttemptedAt,
		s.lastFailureAt,
		s.completedAt,
		s.checkpoint ? json(s.checkpoint) : null,
		// A convergence step gains parents when steps are created after it; a static step's never change.
		json(s.dependencies),
		s.totalParents,
		s.handlerWait ? json(s.handlerWait) : null,
		s.idx,
	];
}

/** A step row read back (as `SELECT *` gives it) as the engine's record. */
export function stepFromRow(row: Row): StepRecord {
	return {
		idx: num(row.idx),
		stepUuid: String(row.step_uuid),
		name: String(row.name),
		description: strOrNull(row.description),
		callable: String(row.callable),
		initialization: parse(row.initialization),
		dependencies: parse(row.dependencies),
		retry: parse(row.retry),
		timeoutSeconds: num(row.timeout_seconds),
		extras: row.extras === null || row.extras === undefined ? null : parse(row.extras),
		state: String(row.state) as StepRecord["state"],
		attempt: num(row.attempt),
		retryBase: num(row.retry_base),
		unmetParents: num(row.unmet_parents),
		totalParents: num(row.total_parents),
		dispatchDueAt: numOrNull(row.dispatch_due_at),
		nextRetryAt: numOrNull(row.next_retry_at),
		deadlineAt: numOrNull(row.deadline_at),
		result: row.result === null || row.result === undefined ? null : parse(row.result),
		lastError: row.last_error === null || row.last_error === undefined ? null : parse(row.last_error),
		createdAt: num(row.created_at),
		updatedAt: num(row.updated_at),
		lastAttemptedAt: numOrNull(row.last_attempted_at),
		lastFailureAt: numOrNull(row.last_failure_at),
		completedAt: numOrNull(row.completed_at),
		// Dynamic workflows only: a static step leaves these out, as it was created.
		...(row.step_type === null || row.step_type === undefined
			? {}
			: {
					stepType: String(row.step_type) as NonNullable<StepRecord["stepType"]>,
					templateName: strOrNull(row.template_name),
					stepInputs:
						row.step_inputs === null || row.step_inputs === undefined ? null : parse(row.step_inputs),
					checkpoint: row.checkpoint === null || row.checkpoint === undefined ? null : parse(row.checkpoint),
					createdBy: strOrNull(row.created_by),
				}),
		// Only while a handler's attempt waits for an event: every other step leaves it out.
		...(row.handler_wait === null || row.handler_wait === undefined
			? {}
			: { handlerWait: parse<NonNullable<StepRecord["handlerWait"]>>(row.handler_wait) }),
	};
}
