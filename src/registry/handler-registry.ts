// Finds the StepHandler classes among handler modules' exports and indexes them by handlerName. Shared by the
// Worker (at start-up) and the build-time registry generator (in Node), so it imports nothing platform-bound.
import { STEP_HANDLER_BRAND, StepHandler, type StepHandlerClass } from "../handler-api/step-handler";

export interface HandlerRegistry {
	get(name: string): StepHandlerClass | undefined;
	/** Sorted. */
	names(): string[];
	readonly size: number;
}

export interface HandlerModule {
	/** Where the module lives (e.g. `src/handlers/order/validate-order.ts`), for problem messages. */
	path: string;
	exports: Record<string, unknown>;
}

export type CollectHandlersResult =
	| { ok: true; registry: HandlerRegistry }
	| { ok: false; problems: string[] };

/** Registers every StepHandler subclass exported by `modules`; reports every problem, not just the first. */
export function collectHandlers(modules: ReadonlyArray<HandlerModule>): CollectHandlersResult {
	const byName = new Map<string, { handlerClass: StepHandlerClass; path: string }>();
	// A class re-exported by another module (an index.ts) is the same handler, not a duplicate.
	const seen = new Set<unknown>();
	const problems: string[] = [];

	for (const module of modules) {
		for (const exported of Object.values(module.exports)) {
			if (!isHandlerSubclass(exported) || seen.has(exported)) continue;
			seen.add(exported);
			const className = exported.name || "(anonymous class)";
			const name = ownHandlerName(exported);
			if (name === null) {
				const inherited = inheritedHandlerName(exported);
				problems.push(
					`${module.path}: class ${className} extends StepHandler but has no static handlerName${
						inherited === null ? "" : ` of its own (it would inherit "${inherited}")`
					}`,
				);
				continue;
			}
			const existing = byName.get(name);
			if (existing !== undefined) {
				problems.push(
					`duplicate handler name "${name}": ${existing.path} (${existing.handlerClass.name}) and ${module.path} (${className})`,
				);
				continue;
			}
			byName.set(name, { handlerClass: exported as StepHandlerClass, path: module.path });
		}
	}

	if (problems.length > 0) return { ok: false, problems };
	const classes = new Map([...byName].map(([name, entry]) => [name, entry.handlerClass]));
	const names = [...classes.keys()].sort();
	return {
		ok: true,
		registry: {
			get: (name) => classes.get(name),
			names: () => [...names],
			size: classes.size,
		},
	};
}

/** For the Worker's start-up: a registry, or an Error listing every problem. */
export function buildHandlerRegistry(modules: ReadonlyArray<HandlerModule>): HandlerRegistry {
	const collected = collectHandlers(modules);
	if (!collected.ok) {
		throw new Error(`invalid step handlers:\n  - ${collected.problems.join("\n  - ")}`);
	}
	return collected.registry;
}

type AnyClass = abstract new (...args: never[]) => unknown;

// The prototype chain is the plain case; the brand and the duck type also recognise subclasses of a second
// bundled copy of StepHandler, where instanceof says no.
function isHandlerSubclass(value: unknown): value is AnyClass {
	if (typeof value !== "function" || value === StepHandler) return false;
	const prototype: unknown = value.prototype;
	if (typeof prototype !== "object" || prototype === null) return false;
	if (prototype instanceof StepHandler) return true;
	// The base of another copy holds the brand as its own property; its subclasses inherit it.
	if (Object.hasOwn(value, STEP_HANDLER_BRAND)) return false;
	if ((value as unknown as Record<symbol, unknown>)[STEP_HANDLER_BRAND] === true) return true;
	return (
		typeof (prototype as { call?: unknown }).call === "function" &&
		typeof (value as { handlerName?: unknown }).handlerName === "string"
	);
}

// Own, not inherited: a subclass of a handler that kept its parent's name would silently shadow it.
function ownHandlerName(handlerClass: AnyClass): string | null {
	if (!Object.hasOwn(handlerClass, "handlerName")) return null;
	const name: unknown = (handlerClass as { handlerName?: unknown }).handlerName;
	return typeof name === "string" && name.trim() !== "" ? name : null;
}

function inheritedHandlerName(handlerClass: AnyClass): string | null {
	const name: unknown = (handlerClass as { handlerName?: unknown }).handlerName;
	return typeof name === "string" && name.trim() !== "" ? name : null;
}
