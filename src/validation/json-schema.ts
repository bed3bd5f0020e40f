// JSON Schema checks with @cfworker/json-schema (it interprets schemas, where Ajv generates code with
// `new Function`, which workerd refuses). Used for a template's `input_schema`, a step's `result_schema`
// and an event's `schema`: each compiled once and kept, never per request or per step.
import { type OutputUnit, type Schema, Validator } from "@cfworker/json-schema";
import { formatPath } from "./field-schemas";

/** One rule a value breaks: where (`order_id`, `items[0]`; `""` for the value itself), which keyword, and why. */
export interface SchemaViolation {
	path: string;
	rule: string;
	message: string;
	/** The same place as a JSON pointer (`#/items/0/sku`). */
	pointer: string;
}

export type SchemaCheck = (value: unknown) => SchemaViolation[];

/** Drafts the validator knows: a schema's `$schema` picks one; the default is 2020-12. */
const DRAFTS = {
	"http://json-schema.org/draft-04/schema": "4",
	"http://json-schema.org/draft-07/schema": "7",
	"https://json-schema.org/draft/2019-09/schema": "2019-09",
	"https://json-schema.org/draft/2020-12/schema": "2020-12",
} as const;

function draftOf(schema: unknown): "4" | "7" | "2019-09" | "2020-12" {
	if (typeof schema !== "object" || schema === null) return "2020-12";
	const declared = (schema as { $schema?: unknown }).$schema;
	if (typeof declared !== "string") return "2020-12";
	return DRAFTS[declared.replace(/#$/, "") as keyof typeof DRAFTS] ?? "2020-12";
}

/** Keywords that only say "a subschema failed": dropped when that subschema's own errors are listed. */
const AGGREGATES: ReadonlySet<string> = new Set([
	"properties",
	"additionalProperties",
	"patternProperties",
	"items",
	"prefixItems",
	"additionalItems",
	"$ref",
	"$dynamicRef",
	"$recursiveRef",
	"allOf",
	"contains",
	"if",
	"then",
	"else",
	"dependentSchemas",
	"dependencies",
	"unevaluatedProperties",
	"unevaluatedItems",
	"propertyNames",
]);
/** Keywords whose branches' errors say less than the keyword itself ("matches none of the alternatives"). */
const ALTERNATIVES: ReadonlySet<string> = new Set(["anyOf", "oneOf", "not"]);

/** `#/items/0/sku` → `items[0].sku` (with `prefix`: `context.items[0].sku`). */
export function pointerToPath(pointer: string, prefix: ReadonlyArray<string | number> = []): string {
	const segments = pointer
		.replace(/^#\/?/, "")
		.split("/")
		.filter((s) => s !== "")
		.map((s) => decodeURIComponent(s).replace(/~1/g, "/").replace(/~0/g, "~"))
		.map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
	return formatPath([...prefix, ...segments]);
}

/** The errors that say what is wrong, not that something below is. */
function leafErrors(errors: readonly OutputUnit[]): OutputUnit[] {
	const hidden = new Set<OutputUnit>();
	const explained = new Map<OutputUnit, string>();
	for (const error of errors) {
		if (!ALTERNATIVES.has(error.keyword)) continue;
		const branches = errors.filter(
			(other) => other !== error && other.keywordLocation.startsWith(`${error.keywordLocation}/`),
		);
		for (const branch of branches) hidden.add(branch);
		// "matches none of the alternatives" says little alone: each alternative's own complaint follows.
		const reasons = branches.filter((b) => !AGGREGATES.has(b.keyword)).map((b) => b.error);
		if (reasons.length > 0) explained.set(error, `${error.error} (${reasons.join(" Or: ")})`);
	}
	return errors
		.filter((error) => {
			if (hidden.has(error)) return false;
			if (!AGGREGATES.has(error.keyword)) return true;
			return !errors.some(
				(o) => o !== error && !hidden.has(o) && o.keywordLocation.startsWith(`${error.keywordLocation}/`),
			);
		})
		.map((error) => {
			const message = explained.get(error);
			return message === undefined ? error : { ...error, error: message };
		});
}

/** Compiles `schema` into a check that lists every violation (not only the first), paths under `prefix`. */
export function compileSchema(schema: unknown, prefix: ReadonlyArray<string | number> = []): SchemaCheck {
	// The validator annotates the schema it is given (each sub-schema's resolved URI), so it gets its own
	// copy: the caller's may be frozen (a step's definition, as the task store shares it) or shared.
	const own = typeof schema === "object" && schema !== null ? JSON.parse(JSON.stringify(schema)) : schema;
	const validator = new Validator(own as Schema | boolean, draftOf(schema), false);
	return (value) => {
		const result = validator.validate(value);
		if (result.valid) return [];
		return leafErrors(result.errors).map((error) => {
			// "required" is reported on the object; the missing property's own path says more.
			const missing =
				error.keyword === "required" ? /required property "(.*)"/.exec(error.error)?.[1] : undefined;
			const pointer =
				missing === undefined
					? error.instanceLocation
					: `${error.instanceLocation.replace(/\/$/, "")}/${missing}`;
			return {
				path: pointerToPath(pointer, prefix),
				rule: error.keyword,
				message: missing === undefined ? error.error : "required but missing",
				pointer,
			};
		});
	};
}

const compiledByIdentity = new WeakMap<object, SchemaCheck>();

/** `compileSchema`, kept per schema object: a template's schemas are compiled on first use, once. */
export function cachedSchemaCheck(schema: unknown, prefix: ReadonlyArray<string | number> = []): SchemaCheck {
	// true/false schemas are not objects (no WeakMap key), and cost nothing to compile.
	if (typeof schema !== "object" || schema === null) return compileSchema(schema, prefix);
	let check = compiledByIdentity.get(schema);
	if (check === undefined) {
		check = compileSchema(schema, prefix);
		compiledByIdentity.set(schema, check);
	}
	return check;
}

const MAX_CACHED_BY_TEXT = 256;
const compiledByText = new Map<string, SchemaCheck>();

/**
 * `compileSchema` kept per schema text, for schemas that arrive over the wire (a step's result_schema
 * in its run input is a new object each time): a bounded cache, the oldest entry leaving first.
 */
export function schemaCheckForWire(schema: unknown): SchemaCheck {
	const key = JSON.stringify(schema);
	let check = compiledByText.get(key);
	if (check === undefined) {
		check = compileSchema(schema);
		if (compiledByText.size >= MAX_CACHED_BY_TEXT) {
			const oldest = compiledByText.keys().next().value;
			if (oldest !== undefined) compiledByText.delete(oldest);
		}
		compiledByText.set(key, check);
	}
	return check;
}

/** `path: message (rule)` for logs and error messages. */
export function describeViolation(violation: SchemaViolation): string {
	return `${violation.path === "" ? "(the value)" : violation.path}: ${violation.message} (${violation.rule})`;
}
