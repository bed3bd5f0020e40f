// The package's public face, all a handler module may import: the handler API and its types, nothing of the engine.
export { StepContext } from "./handler-api/step-context";
export type { RetryableErrorOptions, StepErrorOptions } from "./handler-api/step-errors";
export { PermanentError, RetryableError, StepError } from "./handler-api/step-errors";
export type { StepHandlerClass } from "./handler-api/step-handler";
export { StepHandler } from "./handler-api/step-handler";
export type { StepFailureOptions } from "./handler-api/step-handler-result";
export { StepHandlerResult } from "./handler-api/step-handler-result";
