// Handlers as functions (the reference's factory API): `defineHandler(name, {depends, inputs, version}, fn)`
// returns a StepHandler subclass, found by the registry like any class. `fn` gets the declared dependency
// results and inputs by parameter name, plus `context`. What it returns is wrapped: a StepHandlerResult as is,
// a plain object as a success, undefined or null as `{}`, anything else `x` as `{result: x}`. What it throws is
// classified: a PermanentError is `permanent_error` (not retried), a RetryableError `retryable_error`, any
// other error `handler_error`, retried.

import { type APICapable, applyAPI } from "./api-handler";
import { type BatchWorkerContext, createBatches, type RustCursorConfig } from "./batch-types";
import { BatchableMixin } from "./batchable-handler";
import { DecisionMixin } from "./decision-handler";
import { ErrorType } from "./error-type";
import type { StepContext } from "./step-context";
import { StepHandler, type StepHandlerClass } from "./step-handler";
import { isStepHandlerResult, StepHandlerResult } from "./step-handler-result";

export interface HandlerOptions {
	/** Parameter name → the dependency step whose result it receives. */
	depends?: Record<string, string>;
	/** Parameter name → the task input (context key) it receives. */
	inputs?: Record<string, string>;
	/** Default "1.0.0". */
	version?: string;
}

/** What a functional handler receives: its declared dependencies and inputs, and always `context`. */
export type HandlerArgs = Record<string, unknown> & { context: StepContext };

export type HandlerFn = (
	args: HandlerArgs,
) =>
	| Promise<Record<string, unknown> | StepHandlerResult | undefined>
	| Record<string, unknown>
	| StepHandlerResult
	| undefined;

/** What a decision handler function returns: `Decision.route(steps)` or `Decision.skip(reason)`. */
export class Decision {
	readonly type: "create_steps" | "no_branches";
	readonly steps: string[];
	readonly reason: string | undefined;
	readonly routingContext: Record<string, unknown>;

	private constructor(
		type: "create_steps" | "no_branches",
		steps: string[],
		reason: string | undefined,
		routingContext: Record<string, unknown>,
	) {
		this.type = type;
		this.steps = steps;
		this.reason = reason;
		this.routingContext = routingContext;
	}

	/** Run these branch steps next. */
	static route(steps: string[], routingContext?: Record<string, unknown>): Decision {
		return new Decision("create_steps", steps, undefined, routingContext ?? {});
	}

	/** Run no branch. */
	static skip(reason: string, routingContext?: Record<string, unknown>): Decision {
		return new Decision("no_branches", [], reason, routingContext ?? {});
	}
}

/** What a batch analyzer function returns; the cursor ranges are computed from it. */
export interface BatchConfig {
	totalItems: number;
	batchSize: number;
	metadata?: Record<string, unknown>;
}

export interface ApiHandlerOptions extends HandlerOptions {
	baseUrl: string;
	/** Milliseconds; default 30000. */
	defaultTimeout?: number;
	defaultHeaders?: Record<string, string>;
}

/** An API handler function also receives `api`: the HTTP verbs and result helpers. */
export type ApiHandlerArgs = HandlerArgs & { api: APICapable };

/** The wrapping rules for what a handler function returned. */
export function wrapResult(returned: unknown): StepHandlerResult {
	if (isStepHandlerResult(returned)) return returned;
	if (returned === null || returned === undefined) return StepHandlerResult.success({});
	if (typeof returned === "object" && !Array.isArray(returned)) {
		return StepHandlerResult.success(returned as Record<string, unknown>);
	}
	return StepHandlerResult.success({ result: returned });
}

/** The classification rules for what a handler function threw. */
export function wrapError(thrown: unknown): StepHandlerResult {
	const fields = thrown as {
		message?: unknown;
		errorType?: unknown;
		errorCode?: unknown;
		retryable?: unknown;
		retryAfterSeconds?: unknown;
		metadata?: unknown;
		name?: unknown;
	} | null;
	const message =
		typeof thrown === "object" && thrown !== null && typeof fields?.message === "string"
			? fields.message
			: String(thrown);
	// A PermanentError/RetryableError, ours or a copy's: classified by its fields.
	if (typeof thrown === "object" && thrown !== null && typeof fields?.retryable === "boolean") {
		const named = fields.name === "PermanentError" || fields.name === "RetryableError";
		if (typeof fields.errorType === "string" || named) {
			return new StepHandlerResult({
				success: false,
				errorMessage: message,
				errorType:
					typeof fields.errorType === "string"
						? fields.errorType
						: fields.retryable
							? ErrorType.RETRYABLE_ERROR
							: ErrorType.PERMANENT_ERROR,
				errorCode: typeof fields.errorCode === "string" ? fields.errorCode : null,
				retryable: fields.retryable,
				metadata: isRecord(fields.metadata) ? fields.metadata : {},
				retryAfterSeconds:
					fields.retryable && typeof fields.retryAfterSeconds === "number" ? fields.retryAfterSeconds : null,
			});
		}
	}
	return StepHandlerResult.failure(message, ErrorType.HANDLER_ERROR, true, {
		errorType: thrown instanceof Error ? thrown.constructor.name : typeof thrown,
	});
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function injectArgs(context: StepContext, options: HandlerOptions): HandlerArgs {
	const args: HandlerArgs = { context };
	for (const [param, stepName] of Object.entries(options.depends ?? {})) {
		args[param] = context.getDependencyResult(stepName);
	}
	for (const [param, key] of Object.entries(options.inputs ?? {})) {
		args[param] = context.getInput(key);
	}
	return args;
}

/** A named StepHandler subclass whose `call` runs `run` and never throws. */
function handlerClass(
	name: string,
	options: HandlerOptions,
	run: (handler: StepHandler, context: StepContext) => Promise<StepHandlerResult>,
	capabilities?: string[],
): StepHandlerClass {
	const version = options.version ?? "1.0.0";
	const FunctionalHandler = class extends StepHandler {
		static override handlerName = name;
		static override handlerVersion = version;

		override get capabilities(): string[] {
			return capabilities ?? super.capabilities;
		}

		async call(context: StepContext): Promise<StepHandlerResult> {
			try {
				return await run(this, context);
			} catch (error) {
				return wrapError(error);
			}
		}
	};
	Object.defineProperty(FunctionalHandler, "name", { value: name });
	return FunctionalHandler;
}

/** A step handler from a function. */
export function defineHandler(name: string, options: HandlerOptions, fn: HandlerFn): StepHandlerClass {
	return handlerClass(name, options, async (_handler, context) =>
		wrapResult(await fn(injectArgs(context, options))),
	);
}

/** A decision step's handler: `fn` returns `Decision.route([...])` or `Decision.skip(reason)` (or a result). */
export function defineDecisionHandler(
	name: string,
	options: HandlerOptions,
	fn: (args: HandlerArgs) => Promise<Decision | StepHandlerResult> | Decision | StepHandlerResult,
): StepHandlerClass {
	const version = options.version ?? "1.0.0";
	// The mixin names its results' metadata after this handler.
	const NamedDecision = class extends DecisionMixin {
		static handlerName = name;
		static handlerVersion = version;
	};
	return handlerClass(
		name,
		options,
		async (_handler, context) => {
			const returned = await fn(injectArgs(context, options));
			if (returned instanceof Decision) {
				const mixin = new NamedDecision();
				return returned.type === "create_steps"
					? mixin.decisionSuccess(returned.steps, returned.routingContext)
					: mixin.skipBranches(returned.reason ?? "", returned.routingContext);
			}
			return wrapResult(returned);
		},
		["process", "decision", "routing"],
	);
}

/**
 * A batchable step's handler: `fn` returns `{totalItems, batchSize}` and the result is a `create_batches`
 * outcome for `workerTemplate`, with batches `batch_000`, `batch_001`, ... (or a result of its own).
 */
export function defineBatchAnalyzer(
	name: string,
	options: HandlerOptions & { workerTemplate: string },
	fn: (args: HandlerArgs) => Promise<BatchConfig | StepHandlerResult> | BatchConfig | StepHandlerResult,
): StepHandlerClass {
	return handlerClass(name, options, async (_handler, context) => {
		const returned = await fn(injectArgs(context, options));
		if (isStepHandlerResult(returned)) return returned;
		const { totalItems, batchSize } = returned;
		const ranges = new BatchableMixin().createCursorRanges(totalItems, batchSize);
		const cursorConfigs: RustCursorConfig[] = ranges.map((range, index) => ({
			batch_id: `batch_${String(index).padStart(3, "0")}`,
			start_cursor: range.startCursor,
			end_cursor: range.endCursor,
			batch_size: range.endCursor - range.startCursor,
		}));
		const outcome = createBatches(options.workerTemplate, cursorConfigs.length, cursorConfigs, totalItems);
		return StepHandlerResult.success(
			{ batch_processing_outcome: outcome },
			{ batch_count: cursorConfigs.length, total_items: totalItems, ...(returned.metadata ?? {}) },
		);
	});
}

/** A batch worker's handler: `fn` also receives `batchContext`, its partition (null outside a batch). */
export function defineBatchWorker(
	name: string,
	options: HandlerOptions,
	fn: (
		args: HandlerArgs & { batchContext: BatchWorkerContext | null },
	) =>
		| Promise<Record<string, unknown> | StepHandlerResult | undefined>
		| Record<string, unknown>
		| StepHandlerResult
		| undefined,
): StepHandlerClass {
	return handlerClass(name, options, async (_handler, context) => {
		const args = injectArgs(context, options) as HandlerArgs & { batchContext: BatchWorkerContext | null };
		args.batchContext = new BatchableMixin().getBatchContext(context);
		return wrapResult(await fn(args));
	});
}

/** An HTTP API's handler: `fn` also receives `api` (get/post/put/patch/delete, apiSuccess/apiFailure, ...). */
export function defineApiHandler(
	name: string,
	options: ApiHandlerOptions,
	fn: (
		args: ApiHandlerArgs,
	) =>
		| Promise<Record<string, unknown> | StepHandlerResult | undefined>
		| Record<string, unknown>
		| StepHandlerResult
		| undefined,
): StepHandlerClass {
	const HandlerClass = handlerClass(
		name,
		options,
		async (handler, context) => {
			const args = injectArgs(context, options) as ApiHandlerArgs;
			args.api = applyAPI(handler);
			return wrapResult(await fn(args));
		},
		["process", "http", "api"],
	);
	Object.assign(HandlerClass, {
		baseUrl: options.baseUrl,
		defaultTimeout: options.defaultTimeout ?? 30_000,
		defaultHeaders: options.defaultHeaders ?? {},
	});
	return HandlerClass;
}
