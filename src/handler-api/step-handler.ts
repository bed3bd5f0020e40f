// The class a user extends to implement a step: `static handlerName` names it for templates
// (`handler.callable`), `call` does the work. A fresh instance runs each attempt.
import type { StepContext } from "./step-context";
import type { StepHandlerResult } from "./step-handler-result";

// A registry-wide symbol, so that subclasses of a second bundled copy of this class are still recognised.
export const STEP_HANDLER_BRAND = Symbol.for("tasker-edge.StepHandler");

export abstract class StepHandler {
	/**
	 * Must equal the template's `handler.callable` and be unique among the handlers. Subclasses set it with
	 * `static override handlerName = "..."` (the project compiles with `noImplicitOverride`).
	 */
	declare static handlerName: string;

	abstract call(context: StepContext): StepHandlerResult | Promise<StepHandlerResult>;
}

// Own property of the base only: the registry tells the base (of any copy) from its subclasses by it.
Object.defineProperty(StepHandler, STEP_HANDLER_BRAND, { value: true });

/** A concrete handler class: constructible with no arguments, named by its static `handlerName`. */
export type StepHandlerClass = (new () => StepHandler) & { readonly handlerName: string };
