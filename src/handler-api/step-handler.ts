// The class a user extends to implement a step: `static handlerName` names it for templates
// (`handler.callable`), `call` does the work. A fresh instance runs each attempt. Names, defaults and helpers
// are the reference SDK's (`success`, `failure`, `capabilities`, `configSchema`, `handlerVersion`).
import { ErrorType } from "./error-type";
import type { StepContext } from "./step-context";
import { StepHandlerResult } from "./step-handler-result";

// A registry-wide symbol, so that subclasses of a second bundled copy of this class are still recognised.
export const STEP_HANDLER_BRAND = Symbol.for("tasker-edge.StepHandler");

export abstract class StepHandler {
	/**
	 * Must equal the template's `handler.callable` and be unique among the handlers:
	 * `static handlerName = "..."` (`override` is allowed, not required).
	 */
	declare static handlerName: string;

	/** Reported with the handler; "1.0.0" unless the class sets its own. */
	static handlerVersion = "1.0.0";

	abstract call(context: StepContext): StepHandlerResult | Promise<StepHandlerResult>;

	/** The class's `handlerName` (or its class name when it has none). */
	get name(): string {
		const ctor = this.constructor as typeof StepHandler;
		return ctor.handlerName || ctor.name;
	}

	get version(): string {
		return (this.constructor as typeof StepHandler).handlerVersion;
	}

	/** What the handler can do, for tooling; `["process"]` unless overridden. */
	get capabilities(): string[] {
		return ["process"];
	}

	/** A JSON Schema of the handler's `initialization` config, or null when it declares none. */
	configSchema(): Record<string, unknown> | null {
		return null;
	}

	/** A success carrying `result`. */
	protected success(result: Record<string, unknown>, metadata?: Record<string, unknown>): StepHandlerResult {
		return StepHandlerResult.success(result, metadata);
	}

	/** A failure reported without throwing: `handler_error` and retryable unless said otherwise. */
	protected failure(
		message: string,
		errorType: ErrorType | string = ErrorType.HANDLER_ERROR,
		retryable = true,
		metadata?: Record<string, unknown>,
		errorCode?: string,
	): StepHandlerResult {
		return StepHandlerResult.failure(message, errorType, retryable, metadata, errorCode);
	}

	toString(): string {
		return `${this.constructor.name}(name=${this.name}, version=${this.version})`;
	}
}

// Own property of the base only: the registry tells the base (of any copy) from its subclasses by it.
Object.defineProperty(StepHandler, STEP_HANDLER_BRAND, { value: true });

/** A concrete handler class: constructible with no arguments, named by its static `handlerName`. */
export type StepHandlerClass = (new () => StepHandler) & {
	readonly handlerName: string;
	readonly handlerVersion?: string;
};
