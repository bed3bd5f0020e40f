// The package's public face, all a handler module may import: the handler API and its types (the reference
// SDK's names and signatures), and the entry of a handler Worker (createHandlerWorker); nothing of the engine.

/** The shape of one domain event on the DOMAIN_EVENTS queue, for subscribers (examples/domain-event-subscriber). */
export type { DomainEventMessage } from "./core/domain-events";
export type { APICapable, BodyOptions } from "./handler-api/api-handler";
export { APIMixin, ApiHandler, ApiResponse, applyAPI, parseRetryAfter } from "./handler-api/api-handler";
export type {
	BatchAggregationResult,
	BatchAnalyzerOutcome,
	BatchMetadata,
	BatchProcessingOutcome,
	BatchWorkerConfig,
	BatchWorkerContext,
	BatchWorkerInputs,
	BatchWorkerOutcome,
	CreateBatchesOutcome,
	CursorConfig,
	FailureStrategy,
	NoBatchesOutcome,
	RustBatchWorkerInputs,
	RustCursorConfig,
} from "./handler-api/batch-types";
export {
	aggregateBatchResults,
	createBatches,
	createBatchWorkerContext,
	isCreateBatches,
	isNoBatches,
	noBatches,
} from "./handler-api/batch-types";
export type { BatchAggregationScenario, Batchable, BatchableResult } from "./handler-api/batchable-handler";
export {
	applyBatchable,
	BatchableMixin,
	BatchableStepHandler,
	detectAggregationScenario,
} from "./handler-api/batchable-handler";
export type { DecisionCapable, DecisionPointOutcome } from "./handler-api/decision-handler";
export {
	applyDecision,
	DecisionHandler,
	DecisionMixin,
	DecisionStepHandler,
	DecisionType,
} from "./handler-api/decision-handler";
export type {
	DomainEvent,
	DomainEventLogger,
	DomainEventMetadata,
	EventDeclaration,
	PreparedEvent,
	PublishContext,
	StepEventContext,
	StepResult,
	SubscriberClass,
	SubscriberStats,
} from "./handler-api/domain-events";
export {
	BasePublisher,
	BaseSubscriber,
	createDomainEvent,
	createStepEventContext,
	DefaultPublisher,
	DuplicatePublisherError,
	PublisherNotFoundError,
	PublisherRegistry,
	PublisherValidationError,
	RegistryFrozenError,
	SubscriberRegistry,
} from "./handler-api/domain-events";
export { ErrorType, isStandardErrorType, isTypicallyRetryable } from "./handler-api/error-type";
export type {
	ApiHandlerArgs,
	ApiHandlerOptions,
	BatchConfig,
	HandlerArgs,
	HandlerFn,
	HandlerOptions,
} from "./handler-api/functional";
export {
	Decision,
	defineApiHandler,
	defineBatchAnalyzer,
	defineBatchWorker,
	defineDecisionHandler,
	defineHandler,
} from "./handler-api/functional";
export type { StepCheckpoint } from "./handler-api/step-context";
export { StepContext } from "./handler-api/step-context";
export type { RetryableErrorOptions, StepErrorOptions } from "./handler-api/step-errors";
export { PermanentError, RetryableError, StepError } from "./handler-api/step-errors";
export type { StepHandlerClass } from "./handler-api/step-handler";
export { StepHandler } from "./handler-api/step-handler";
export type {
	OrchestrationMetadata,
	StepFailureOptions,
	StepHandlerResultParams,
	WaitForEventOptions,
} from "./handler-api/step-handler-result";
export { StepHandlerResult } from "./handler-api/step-handler-result";
// A Worker of its own that runs one namespace's handlers (handler workers per namespace).
export type { HandlerWorkerOptions, TaskObjectsEnv } from "./handler-worker";
export { createHandlerWorker } from "./handler-worker";
