// `handler.method`: a step may call another method of its handler instead of `call` (the reference's
// method dispatch, for a handler class with several entry points). The method is called on the
// handler instance, with the same StepContext, and must return a StepHandlerResult like `call`.
import type { HandlerRegistry } from "../registry/handler-registry";
import type { StepContext } from "./step-context";
import type { StepHandler, StepHandlerClass } from "./step-handler";

/** The method a step runs: `call` unless its template names another. */
export const DEFAULT_HANDLER_METHOD = "call";

/**
 * Marks a handler class with one entry point, `call` (a functional handler: `defineHandler` and
 * friends). Tasker's functional examples write one handler per method and still name the method in
 * the template (`method: validate`), so for such a class every `handler.method` runs `call`.
 * A registry-wide symbol, so that a second bundled copy of the SDK marks its classes the same way.
 */
export const SINGLE_ENTRY_POINT = Symbol.for("tasker-edge.singleEntryPoint");

function hasSingleEntryPoint(handlerClass: unknown): boolean {
	return (handlerClass as Record<symbol, unknown> | undefined)?.[SINGLE_ENTRY_POINT] === true;
}

/** Whether instances of the class have a method of this name (own or inherited; never Object's own). */
export function classHasMethod(handlerClass: StepHandlerClass, method: string): boolean {
	if (Object.hasOwn(Object.prototype, method)) return false;
	if (hasSingleEntryPoint(handlerClass)) return true;
	const candidate: unknown = (handlerClass.prototype as Record<string, unknown>)[method];
	return typeof candidate === "function";
}

/** For template validation: true/false for a handler registered here, undefined for one that is not. */
export function registryMethodCheck(
	registry: HandlerRegistry,
): (callable: string, method: string) => boolean | undefined {
	return (callable, method) => {
		const handlerClass = registry.get(callable);
		return handlerClass === undefined ? undefined : classHasMethod(handlerClass, method);
	};
}

/**
 * The bound entry point of `handler` for `method`, or null when it has none (checked on the instance:
 * a method may also be assigned in the constructor).
 */
export function entryPoint(handler: StepHandler, method: string): ((context: StepContext) => unknown) | null {
	if (method !== DEFAULT_HANDLER_METHOD && Object.hasOwn(Object.prototype, method)) return null;
	if (hasSingleEntryPoint(handler.constructor)) return handler.call.bind(handler);
	const candidate: unknown = (handler as unknown as Record<string, unknown>)[method];
	return typeof candidate === "function"
		? (candidate as (context: StepContext) => unknown).bind(handler)
		: null;
}
