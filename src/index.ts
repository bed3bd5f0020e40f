// The package's public face, all a handler module may import: the handler API and its types, and the
// entry of a handler Worker (createHandlerWorker); nothing of the engine.

/** The shape of one domain event on the DOMAIN_EVENTS queue, for subscribers (examples/domain-event-subscriber). */
export type { DomainEventMessage } from "./core/domain-events";
export { StepContext } from "./handler-api/step-context";
export type { RetryableErrorOptions, StepErrorOptions } from "./handler-api/step-errors";
export { PermanentError, RetryableError, StepError } from "./handler-api/step-errors";
export type { StepHandlerClass } from "./handler-api/step-handler";
export { StepHandler } from "./handler-api/step-handler";
export type { StepFailureOptions } from "./handler-api/step-handler-result";
export { StepHandlerResult } from "./handler-api/step-handler-result";
// A Worker of its own that runs one namespace's handlers (handler workers per namespace).
export type { HandlerWorkerOptions, TaskObjectsEnv } from "./handler-worker";
export { createHandlerWorker } from "./handler-worker";
