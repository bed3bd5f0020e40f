// snake_case → camelCase for the top-level field names of an API object only: nested values may be user
// data (a task's context, a step's results), which must reach the caller exactly as it was sent.

/** `source_system` → `sourceSystem`, at the type level. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
	? `${Head}${Capitalize<CamelCase<Tail>>}`
	: S;

/** T with its own keys camelCased; the values (and their keys) are left exactly as they are. */
export type CamelCaseKeys<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] };

/** The same conversion for a runtime string. */
export function camelCase(name: string): string {
	return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** `sourceSystem` → `source_system`, for request fields. */
export function snakeCase(name: string): string {
	return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** A copy of `value` with its top-level keys camelCased; every value is the very same reference. */
export function camelCaseKeys<T extends object>(value: T): CamelCaseKeys<T> {
	return Object.fromEntries(Object.entries(value).map(([key, v]) => [camelCase(key), v])) as CamelCaseKeys<T>;
}

/** A request body's top-level keys snake_cased; `undefined` fields are left out, as JSON would. */
export function snakeCaseKeys(value: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(value)
			.filter(([, v]) => v !== undefined)
			.map(([key, v]) => [snakeCase(key), v]),
	);
}
