// Batch processing helpers (the reference's Batchable mixin and BatchableStepHandler): an analyzer splits the
// work into cursor ranges and returns a `batch_processing_outcome`; each worker reads its range from its step
// inputs and may yield checkpoints; an aggregator sums the workers' results. Only results are built here, in the
// reference's wire shapes: creating the workers from the outcome is the engine's job.
import {
	aggregateBatchResults,
	type BatchAggregationResult,
	type BatchAnalyzerOutcome,
	type BatchWorkerConfig,
	type BatchWorkerContext,
	type BatchWorkerOutcome,
	type CursorConfig,
	createBatches,
	createBatchWorkerContext,
	noBatches,
	type RustBatchWorkerInputs,
	type RustCursorConfig,
} from "./batch-types";
import type { StepContext } from "./step-context";
import { StepHandler } from "./step-handler";
import { StepHandlerResult } from "./step-handler-result";

/** A batchable step's result is an ordinary StepHandlerResult. */
export type BatchableResult = StepHandlerResult;

/** What an aggregator sees: either the analyzer said `no_batches`, or these workers ran. */
export interface BatchAggregationScenario {
	isNoBatches: boolean;
	batchableResult: Record<string, unknown>;
	/** Worker step name → its result. */
	batchResults: Record<string, Record<string, unknown>>;
	workerCount: number;
}

function resultRecord(stepResult: unknown): Record<string, unknown> {
	return typeof stepResult === "object" && stepResult !== null && !Array.isArray(stepResult)
		? (stepResult as Record<string, unknown>)
		: {};
}

/**
 * Tells the two aggregation scenarios apart from the ancestors' results (`context.dependencyResults`): the
 * batchable step's `no_batches` outcome, or the results of the workers named `batchWorkerPrefix...`. Throws when
 * the batchable step's result is missing, or when it made batches but no worker result is there.
 */
export function detectAggregationScenario(
	dependencyResults: Readonly<Record<string, unknown>>,
	batchableStepName: string,
	batchWorkerPrefix: string,
): BatchAggregationScenario {
	const batchable = Object.hasOwn(dependencyResults, batchableStepName)
		? dependencyResults[batchableStepName]
		: undefined;
	if (batchable === undefined || batchable === null) {
		throw new Error(`Missing batchable step dependency: ${batchableStepName}`);
	}
	const batchableResult = resultRecord(batchable);
	const outcome = batchableResult.batch_processing_outcome;
	if (
		typeof outcome === "object" &&
		outcome !== null &&
		(outcome as { type?: unknown }).type === "no_batches"
	) {
		return { isNoBatches: true, batchableResult, batchResults: {}, workerCount: 0 };
	}
	const batchResults: Record<string, Record<string, unknown>> = {};
	for (const [name, result] of Object.entries(dependencyResults)) {
		if (name.startsWith(batchWorkerPrefix)) batchResults[name] = resultRecord(result);
	}
	const workerCount = Object.keys(batchResults).length;
	if (workerCount === 0) {
		throw new Error(
			`No batch workers found with prefix '${batchWorkerPrefix}' and batchable step '${batchableStepName}' did not return NoBatches outcome. This indicates a workflow configuration error.`,
		);
	}
	return { isNoBatches: false, batchableResult, batchResults, workerCount };
}

/** The helpers a batch-capable handler has (`applyBatchable(this)` or `extends BatchableStepHandler`). */
export interface Batchable {
	createCursorConfig(
		start: number,
		end: number,
		stepSize?: number,
		metadata?: Record<string, unknown>,
	): CursorConfig;
	createCursorRanges(
		totalItems: number,
		batchSize: number,
		stepSize?: number,
		maxBatches?: number,
	): CursorConfig[];
	createCursorConfigs(totalItems: number, workerCount: number): BatchWorkerConfig[];
	createBatchOutcome(
		totalItems: number,
		batchSize: number,
		stepSize?: number,
		batchMetadata?: Record<string, unknown>,
	): BatchAnalyzerOutcome;
	createWorkerOutcome(
		itemsProcessed: number,
		itemsSucceeded?: number,
		itemsFailed?: number,
		itemsSkipped?: number,
		results?: Array<Record<string, unknown>>,
		errors?: Array<Record<string, unknown>>,
		lastCursor?: number | null,
		batchMetadata?: Record<string, unknown>,
	): BatchWorkerOutcome;
	getBatchContext(context: StepContext): BatchWorkerContext | null;
	getBatchWorkerInputs(context: StepContext): Partial<RustBatchWorkerInputs> | null;
	handleNoOpWorker(context: StepContext): StepHandlerResult | null;
	batchAnalyzerSuccess(outcome: BatchAnalyzerOutcome, metadata?: Record<string, unknown>): StepHandlerResult;
	batchWorkerSuccess(outcome: BatchWorkerOutcome, metadata?: Record<string, unknown>): StepHandlerResult;
	checkpointYield(
		cursor: number | string | Record<string, unknown>,
		itemsProcessed: number,
		accumulatedResults?: Record<string, unknown>,
	): StepHandlerResult;
	detectAggregationScenario(
		dependencyResults: Readonly<Record<string, unknown>>,
		batchableStepName: string,
		batchWorkerPrefix: string,
	): BatchAggregationScenario;
	noBatchesAggregationResult(zeroMetrics?: Record<string, unknown>): StepHandlerResult;
	aggregateBatchWorkerResults(
		scenario: BatchAggregationScenario,
		zeroMetrics?: Record<string, unknown>,
		aggregationFn?: (batchResults: Record<string, Record<string, unknown>>) => Record<string, unknown>,
	): StepHandlerResult;
}

export class BatchableMixin implements Batchable {
	createCursorConfig(
		start: number,
		end: number,
		stepSize = 1,
		metadata?: Record<string, unknown>,
	): CursorConfig {
		return { startCursor: start, endCursor: end, stepSize, metadata: metadata ?? {} };
	}

	/** Ranges of `batchSize` items (fewer, larger ones when `maxBatches` would be exceeded). */
	createCursorRanges(
		totalItems: number,
		batchSize: number,
		stepSize = 1,
		maxBatches?: number,
	): CursorConfig[] {
		if (totalItems === 0) return [];
		if (batchSize <= 0) throw new Error("batchSize must be > 0");
		let size = batchSize;
		if (maxBatches !== undefined && maxBatches > 0 && Math.ceil(totalItems / batchSize) > maxBatches) {
			size = Math.ceil(totalItems / maxBatches);
		}
		const configs: CursorConfig[] = [];
		for (let start = 0; start < totalItems; ) {
			const end = Math.min(start + size, totalItems);
			configs.push({ startCursor: start, endCursor: end, stepSize, metadata: {} });
			start = end;
		}
		return configs;
	}

	/** `totalItems` split over at most `workerCount` workers, ids "001", "002", ... */
	createCursorConfigs(totalItems: number, workerCount: number): BatchWorkerConfig[] {
		if (workerCount <= 0) throw new Error("workerCount must be > 0");
		if (totalItems === 0) return [];
		const perWorker = Math.ceil(totalItems / workerCount);
		const configs: BatchWorkerConfig[] = [];
		for (let i = 0; i < workerCount; i++) {
			const start = i * perWorker;
			if (start >= totalItems) break;
			const end = Math.min((i + 1) * perWorker, totalItems);
			configs.push({
				batch_id: String(i + 1).padStart(3, "0"),
				cursor_start: start,
				cursor_end: end,
				row_count: end - start,
				worker_index: i,
				total_workers: workerCount,
			});
		}
		return configs;
	}

	createBatchOutcome(
		totalItems: number,
		batchSize: number,
		stepSize = 1,
		batchMetadata?: Record<string, unknown>,
	): BatchAnalyzerOutcome {
		return {
			cursorConfigs: this.createCursorRanges(totalItems, batchSize, stepSize),
			totalItems,
			batchMetadata: batchMetadata ?? {},
		};
	}

	createWorkerOutcome(
		itemsProcessed: number,
		itemsSucceeded = 0,
		itemsFailed = 0,
		itemsSkipped = 0,
		results?: Array<Record<string, unknown>>,
		errors?: Array<Record<string, unknown>>,
		lastCursor?: number | null,
		batchMetadata?: Record<string, unknown>,
	): BatchWorkerOutcome {
		return {
			itemsProcessed,
			// As the reference: no succeeded count means all processed items succeeded.
			itemsSucceeded: itemsSucceeded || itemsProcessed,
			itemsFailed,
			itemsSkipped,
			results: results ?? [],
			errors: errors ?? [],
			lastCursor: lastCursor ?? null,
			batchMetadata: batchMetadata ?? {},
		};
	}

	/** The worker's partition: from its step inputs (`cursor`, `batch_metadata`), else a `batch_context` record. */
	getBatchContext(context: StepContext): BatchWorkerContext | null {
		const inputs = context.stepInputs;
		if (Object.hasOwn(inputs, "cursor")) {
			const cursor = (inputs.cursor as Record<string, unknown> | null) ?? {};
			return createBatchWorkerContext({
				batch_id: cursor.batch_id,
				cursor_config: {
					start_cursor: cursor.start_cursor,
					end_cursor: cursor.end_cursor,
					step_size: cursor.step_size ?? cursor.batch_size ?? 1,
					metadata: cursor.metadata ?? {},
				},
				batch_index: 0,
				total_batches: 1,
				batch_metadata: inputs.batch_metadata ?? {},
				is_no_op: inputs.is_no_op,
				batch_size: cursor.batch_size,
			});
		}
		const batchData =
			(context.stepConfig.batch_context as Record<string, unknown> | undefined) ??
			(context.inputData.batch_context as Record<string, unknown> | undefined) ??
			(inputs.batch_context as Record<string, unknown> | undefined);
		return batchData ? createBatchWorkerContext(batchData) : null;
	}

	/** The step inputs as BatchWorkerInputs, or null when the step has none. */
	getBatchWorkerInputs(context: StepContext): Partial<RustBatchWorkerInputs> | null {
		if (Object.keys(context.stepInputs).length === 0) return null;
		return context.stepInputs as Partial<RustBatchWorkerInputs>;
	}

	/** For the placeholder worker of a `no_batches` outcome (`is_no_op`), the success to return at once; else null. */
	handleNoOpWorker(context: StepContext): StepHandlerResult | null {
		const inputs = this.getBatchWorkerInputs(context);
		if (!inputs?.is_no_op) return null;
		return StepHandlerResult.success({
			batch_id: inputs.cursor?.batch_id ?? "no_op",
			no_op: true,
			processed_count: 0,
			message: "No batches to process",
			processed_at: new Date().toISOString(),
		});
	}

	batchAnalyzerSuccess(outcome: BatchAnalyzerOutcome, metadata?: Record<string, unknown>): StepHandlerResult {
		return StepHandlerResult.success(
			{
				batch_analyzer_outcome: {
					cursor_configs: outcome.cursorConfigs.map((c) => ({
						start_cursor: c.startCursor,
						end_cursor: c.endCursor,
						step_size: c.stepSize,
						metadata: c.metadata,
					})),
					total_items: outcome.totalItems,
					batch_metadata: outcome.batchMetadata,
				},
			},
			metadata,
		);
	}

	batchWorkerSuccess(outcome: BatchWorkerOutcome, metadata?: Record<string, unknown>): StepHandlerResult {
		return StepHandlerResult.success(
			{
				batch_worker_outcome: {
					items_processed: outcome.itemsProcessed,
					items_succeeded: outcome.itemsSucceeded,
					items_failed: outcome.itemsFailed,
					items_skipped: outcome.itemsSkipped,
					results: outcome.results,
					errors: outcome.errors,
					last_cursor: outcome.lastCursor,
					batch_metadata: outcome.batchMetadata,
				},
			},
			metadata,
		);
	}

	/**
	 * Saves progress and asks to be run again from `cursor` (the next run sees it as `context.checkpointCursor`,
	 * `checkpointItemsProcessed`, `accumulatedResults`). The reference's shape: `result.type = "checkpoint_yield"`,
	 * `metadata.checkpoint_yield = true`.
	 */
	checkpointYield(
		cursor: number | string | Record<string, unknown>,
		itemsProcessed: number,
		accumulatedResults?: Record<string, unknown>,
	): StepHandlerResult {
		const result: Record<string, unknown> = {
			type: "checkpoint_yield",
			cursor,
			items_processed: itemsProcessed,
		};
		if (accumulatedResults !== undefined) result.accumulated_results = accumulatedResults;
		return StepHandlerResult.success(result, { checkpoint_yield: true, batch_worker: true });
	}

	detectAggregationScenario(
		dependencyResults: Readonly<Record<string, unknown>>,
		batchableStepName: string,
		batchWorkerPrefix: string,
	): BatchAggregationScenario {
		return detectAggregationScenario(dependencyResults, batchableStepName, batchWorkerPrefix);
	}

	noBatchesAggregationResult(zeroMetrics?: Record<string, unknown>): StepHandlerResult {
		return StepHandlerResult.success({ worker_count: 0, scenario: "no_batches", ...(zeroMetrics ?? {}) });
	}

	/** `aggregationFn(batchResults)` (default: `{batch_results}`) plus `worker_count` and `scenario: "with_batches"`. */
	aggregateBatchWorkerResults(
		scenario: BatchAggregationScenario,
		zeroMetrics?: Record<string, unknown>,
		aggregationFn?: (batchResults: Record<string, Record<string, unknown>>) => Record<string, unknown>,
	): StepHandlerResult {
		if (scenario.isNoBatches) return this.noBatchesAggregationResult(zeroMetrics);
		const aggregated = aggregationFn
			? aggregationFn(scenario.batchResults)
			: { batch_results: scenario.batchResults };
		return StepHandlerResult.success({
			...aggregated,
			worker_count: scenario.workerCount,
			scenario: "with_batches",
		});
	}

	static aggregateWorkerResults(
		workerResults: ReadonlyArray<Record<string, unknown> | null>,
		maxErrors = 100,
	): BatchAggregationResult {
		return aggregateBatchResults(workerResults, maxErrors);
	}
}

const BATCHABLE_METHODS = [
	"createCursorConfig",
	"createCursorRanges",
	"createCursorConfigs",
	"createBatchOutcome",
	"createWorkerOutcome",
	"getBatchContext",
	"getBatchWorkerInputs",
	"handleNoOpWorker",
	"batchAnalyzerSuccess",
	"batchWorkerSuccess",
	"checkpointYield",
	"detectAggregationScenario",
	"noBatchesAggregationResult",
	"aggregateBatchWorkerResults",
] as const satisfies ReadonlyArray<keyof Batchable>;

/** Gives `target` (a handler instance, in its constructor) every Batchable helper. */
export function applyBatchable<T extends object>(target: T): T & Batchable {
	const mixin = new BatchableMixin();
	const bag = target as Record<string, unknown>;
	for (const method of BATCHABLE_METHODS) bag[method] = mixin[method].bind(mixin);
	return target as T & Batchable;
}

/** A handler of a batchable step (or a batch worker, or an aggregator) with every batch helper. */
export abstract class BatchableStepHandler extends StepHandler implements Batchable {
	readonly #batch = new BatchableMixin();

	createCursorConfig(
		start: number,
		end: number,
		stepSize?: number,
		metadata?: Record<string, unknown>,
	): CursorConfig {
		return this.#batch.createCursorConfig(start, end, stepSize, metadata);
	}

	createCursorRanges(
		totalItems: number,
		batchSize: number,
		stepSize?: number,
		maxBatches?: number,
	): CursorConfig[] {
		return this.#batch.createCursorRanges(totalItems, batchSize, stepSize, maxBatches);
	}

	createCursorConfigs(totalItems: number, workerCount: number): BatchWorkerConfig[] {
		return this.#batch.createCursorConfigs(totalItems, workerCount);
	}

	createBatchOutcome(
		totalItems: number,
		batchSize: number,
		stepSize?: number,
		batchMetadata?: Record<string, unknown>,
	): BatchAnalyzerOutcome {
		return this.#batch.createBatchOutcome(totalItems, batchSize, stepSize, batchMetadata);
	}

	createWorkerOutcome(
		itemsProcessed: number,
		itemsSucceeded?: number,
		itemsFailed?: number,
		itemsSkipped?: number,
		results?: Array<Record<string, unknown>>,
		errors?: Array<Record<string, unknown>>,
		lastCursor?: number | null,
		batchMetadata?: Record<string, unknown>,
	): BatchWorkerOutcome {
		return this.#batch.createWorkerOutcome(
			itemsProcessed,
			itemsSucceeded,
			itemsFailed,
			itemsSkipped,
			results,
			errors,
			lastCursor,
			batchMetadata,
		);
	}

	getBatchContext(context: StepContext): BatchWorkerContext | null {
		return this.#batch.getBatchContext(context);
	}

	getBatchWorkerInputs(context: StepContext): Partial<RustBatchWorkerInputs> | null {
		return this.#batch.getBatchWorkerInputs(context);
	}

	handleNoOpWorker(context: StepContext): StepHandlerResult | null {
		return this.#batch.handleNoOpWorker(context);
	}

	batchAnalyzerSuccess(outcome: BatchAnalyzerOutcome, metadata?: Record<string, unknown>): StepHandlerResult {
		return this.#batch.batchAnalyzerSuccess(outcome, metadata);
	}

	batchWorkerSuccess(outcome: BatchWorkerOutcome, metadata?: Record<string, unknown>): StepHandlerResult {
		return this.#batch.batchWorkerSuccess(outcome, metadata);
	}

	checkpointYield(
		cursor: number | string | Record<string, unknown>,
		itemsProcessed: number,
		accumulatedResults?: Record<string, unknown>,
	): StepHandlerResult {
		return this.#batch.checkpointYield(cursor, itemsProcessed, accumulatedResults);
	}

	detectAggregationScenario(
		dependencyResults: Readonly<Record<string, unknown>>,
		batchableStepName: string,
		batchWorkerPrefix: string,
	): BatchAggregationScenario {
		return this.#batch.detectAggregationScenario(dependencyResults, batchableStepName, batchWorkerPrefix);
	}

	noBatchesAggregationResult(zeroMetrics?: Record<string, unknown>): StepHandlerResult {
		return this.#batch.noBatchesAggregationResult(zeroMetrics);
	}

	aggregateBatchWorkerResults(
		scenario: BatchAggregationScenario,
		zeroMetrics?: Record<string, unknown>,
		aggregationFn?: (batchResults: Record<string, Record<string, unknown>>) => Record<string, unknown>,
	): StepHandlerResult {
		return this.#batch.aggregateBatchWorkerResults(scenario, zeroMetrics, aggregationFn);
	}

	/** The analyzer's `create_batches` outcome for `batchConfigs` (from `createCursorConfigs`); metadata is also merged into the result. */
	batchSuccess(
		workerTemplateName: string,
		batchConfigs: BatchWorkerConfig[],
		metadata?: Record<string, unknown>,
	): BatchableResult {
		const cursorConfigs: RustCursorConfig[] = batchConfigs.map((config) => ({
			batch_id: config.batch_id,
			start_cursor: config.cursor_start,
			end_cursor: config.cursor_end,
			batch_size: config.row_count,
		}));
		const totalItems = batchConfigs.reduce((sum, config) => sum + config.row_count, 0);
		const outcome = createBatches(workerTemplateName, batchConfigs.length, cursorConfigs, totalItems);
		return StepHandlerResult.success({ batch_processing_outcome: outcome, ...(metadata ?? {}) }, metadata);
	}

	/** The analyzer's `no_batches` outcome (the engine then runs one no-op worker). */
	noBatchesResult(reason?: string, metadata?: Record<string, unknown>): BatchableResult {
		const result: Record<string, unknown> = { batch_processing_outcome: noBatches(), ...(metadata ?? {}) };
		if (reason) result.reason = reason;
		return StepHandlerResult.success(result, metadata);
	}
}
