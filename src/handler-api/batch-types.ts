// The batch-processing shapes of the reference SDK: what an analyzer returns (`batch_processing_outcome`),
// what a batch worker receives (`BatchWorkerInputs` in its step inputs) and what an aggregator sums up.
// Wire shapes are snake_case and must match the reference exactly: the engine reads them.

/** A batch worker's cursor range (camelCase, for handler code). */
export interface CursorConfig {
	/** Inclusive. */
	startCursor: number;
	/** Exclusive. */
	endCursor: number;
	stepSize: number;
	metadata: Record<string, unknown>;
}

/** One worker's share, as `createCursorConfigs(total, workers)` computes it. */
export interface BatchWorkerConfig {
	batch_id: string;
	cursor_start: number;
	cursor_end: number;
	row_count: number;
	worker_index: number;
	total_workers: number;
	metadata?: Record<string, unknown>;
}

/**
 * The wire form of one batch. Cursors are positions (numbers) unless the analyzer chose strings (timestamps) or
 * objects (composite keys): name that type, `RustCursorConfig<string>`, to read them as such.
 */
export interface RustCursorConfig<TCursor = number> {
	batch_id: string;
	/** Inclusive. */
	start_cursor: TCursor;
	/** Exclusive. */
	end_cursor: TCursor;
	batch_size: number;
}

export type FailureStrategy = "continue_on_failure" | "fail_fast" | "isolate";

export interface BatchMetadata {
	cursor_field: string;
	failure_strategy: FailureStrategy;
}

/** What the engine puts in a batch worker's `stepInputs`. */
export interface RustBatchWorkerInputs {
	cursor: RustCursorConfig;
	batch_metadata: BatchMetadata;
	/** True for the placeholder worker of a `no_batches` outcome: return at once (`handleNoOpWorker`). */
	is_no_op: boolean;
}

/** `BatchWorkerInputs` is the reference's name on the engine side; the TS SDK calls it `RustBatchWorkerInputs`. */
export type BatchWorkerInputs = RustBatchWorkerInputs;

export interface NoBatchesOutcome {
	type: "no_batches";
}

export interface CreateBatchesOutcome {
	type: "create_batches";
	/** The template step (`type: batch_worker`) each worker is made from. */
	worker_template_name: string;
	worker_count: number;
	cursor_configs: RustCursorConfig<unknown>[];
	total_items: number;
}

/** `result.batch_processing_outcome` of a batchable step. */
export type BatchProcessingOutcome = NoBatchesOutcome | CreateBatchesOutcome;

export interface BatchAnalyzerOutcome {
	cursorConfigs: CursorConfig[];
	totalItems: number | null;
	batchMetadata: Record<string, unknown>;
}

export interface BatchWorkerOutcome {
	itemsProcessed: number;
	itemsSucceeded: number;
	itemsFailed: number;
	itemsSkipped: number;
	results: Array<Record<string, unknown>>;
	errors: Array<Record<string, unknown>>;
	lastCursor: number | null;
	batchMetadata: Record<string, unknown>;
}

/** A batch worker's view of its partition and of its last checkpoint. */
export interface BatchWorkerContext {
	batchId: string;
	cursorConfig: CursorConfig;
	batchIndex: number;
	totalBatches: number;
	batchMetadata: Record<string, unknown>;
	checkpoint: Record<string, unknown>;
	/** True for the placeholder worker of a `no_batches` outcome (`is_no_op` in its step inputs). */
	isNoOp?: boolean;
	/** The batch's item count (`batch_size` of its cursor), when the engine gave one. */
	batchSize?: number;
	readonly startCursor: number;
	readonly endCursor: number;
	readonly stepSize: number;
	readonly checkpointCursor: number | string | Record<string, unknown> | undefined;
	readonly accumulatedResults: Record<string, unknown> | undefined;
	readonly checkpointItemsProcessed: number;
	hasCheckpoint(): boolean;
}

/** The sums `aggregateBatchResults` makes of the workers' results. */
export interface BatchAggregationResult {
	total_processed: number;
	total_succeeded: number;
	total_failed: number;
	total_skipped: number;
	batch_count: number;
	/** 0 to 1; 0 when nothing was processed. */
	success_rate: number;
	/** At most `maxErrors` of them. */
	errors: Array<Record<string, unknown>>;
	error_count: number;
}

export function noBatches(): NoBatchesOutcome {
	return { type: "no_batches" };
}

/** A `create_batches` outcome; `cursorConfigs` must hold one config per worker. */
export function createBatches(
	workerTemplateName: string,
	workerCount: number,
	cursorConfigs: RustCursorConfig<unknown>[],
	totalItems: number,
): CreateBatchesOutcome {
	if (cursorConfigs.length !== workerCount) {
		throw new Error(
			`cursor_configs length (${cursorConfigs.length}) must equal worker_count (${workerCount})`,
		);
	}
	return {
		type: "create_batches",
		worker_template_name: workerTemplateName,
		worker_count: workerCount,
		cursor_configs: cursorConfigs,
		total_items: totalItems,
	};
}

export function isNoBatches(outcome: BatchProcessingOutcome): outcome is NoBatchesOutcome {
	return outcome.type === "no_batches";
}

export function isCreateBatches(outcome: BatchProcessingOutcome): outcome is CreateBatchesOutcome {
	return outcome.type === "create_batches";
}

/** A BatchWorkerContext from a nested (`cursor_config: {...}`) or flat batch record. */
export function createBatchWorkerContext(
	batchData: Record<string, unknown>,
	checkpoint?: Record<string, unknown>,
): BatchWorkerContext {
	const cursorData = (batchData.cursor_config as Record<string, unknown> | undefined) || batchData;
	const cursorConfig: CursorConfig = {
		startCursor: (cursorData.start_cursor as number | undefined) ?? 0,
		endCursor: (cursorData.end_cursor as number | undefined) ?? 0,
		stepSize: (cursorData.step_size as number | undefined) ?? 1,
		metadata: (cursorData.metadata as Record<string, unknown> | undefined) ?? {},
	};
	const context: BatchWorkerContext = {
		batchId: (batchData.batch_id as string | undefined) ?? "",
		cursorConfig,
		batchIndex: (batchData.batch_index as number | undefined) ?? 0,
		totalBatches: (batchData.total_batches as number | undefined) ?? 1,
		batchMetadata: (batchData.batch_metadata as Record<string, unknown> | undefined) ?? {},
		checkpoint: checkpoint ?? {},
		get startCursor() {
			return this.cursorConfig.startCursor;
		},
		get endCursor() {
			return this.cursorConfig.endCursor;
		},
		get stepSize() {
			return this.cursorConfig.stepSize;
		},
		get checkpointCursor() {
			return this.checkpoint.cursor as number | string | Record<string, unknown> | undefined;
		},
		get accumulatedResults() {
			return this.checkpoint.accumulated_results as Record<string, unknown> | undefined;
		},
		get checkpointItemsProcessed() {
			return (this.checkpoint.items_processed as number | undefined) ?? 0;
		},
		hasCheckpoint() {
			return this.checkpoint.cursor !== undefined;
		},
	};
	if (typeof batchData.is_no_op === "boolean") context.isNoOp = batchData.is_no_op;
	if (typeof batchData.batch_size === "number") context.batchSize = batchData.batch_size;
	return context;
}

/** Sums the workers' `items_*` counts and collects their `errors` (at most `maxErrors`). */
export function aggregateBatchResults(
	workerResults: ReadonlyArray<Record<string, unknown> | null | undefined>,
	maxErrors = 100,
): BatchAggregationResult {
	let processed = 0;
	let succeeded = 0;
	let failed = 0;
	let skipped = 0;
	let batchCount = 0;
	const errors: Array<Record<string, unknown>> = [];
	for (const result of workerResults) {
		if (result === null || result === undefined) continue;
		batchCount++;
		processed += count(result.items_processed);
		succeeded += count(result.items_succeeded);
		failed += count(result.items_failed);
		skipped += count(result.items_skipped);
		if (Array.isArray(result.errors)) errors.push(...(result.errors as Array<Record<string, unknown>>));
	}
	return {
		total_processed: processed,
		total_succeeded: succeeded,
		total_failed: failed,
		total_skipped: skipped,
		batch_count: batchCount,
		success_rate: processed > 0 ? succeeded / processed : 0,
		errors: errors.slice(0, maxErrors),
		error_count: errors.length,
	};
}

function count(value: unknown): number {
	return typeof value === "number" ? value : 0;
}
