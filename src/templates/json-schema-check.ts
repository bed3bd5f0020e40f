// Whether a JSON Schema written in a template (input_schema, result_schema, an event's schema) is one:
// checked when the template loads, so that a broken schema is a validation problem naming its path,
// never a failure at the first task. The validator ships no meta-schemas, so the shape of a schema is
// described here, for the keywords whose misuse would make it mean something else or nothing.
import { compileSchema, pointerToPath } from "../validation/json-schema";

const TYPES = ["array", "boolean", "integer", "null", "number", "object", "string"];
const SUBSCHEMA = { $ref: "#" };
const SUBSCHEMA_MAP = { type: "object", additionalProperties: SUBSCHEMA };
const SUBSCHEMA_LIST = { type: "array", minItems: 1, items: SUBSCHEMA };
const COUNT = { type: "integer", minimum: 0 };
const NUMBER = { type: "number" };
const TEXT = { type: "string" };
const NAMES = { type: "array", items: TEXT };

/** The shape of a schema, keyword by keyword (drafts 4 to 2020-12); other keys are allowed, as the spec allows. */
const SCHEMA_OF_SCHEMAS = {
	type: ["object", "boolean"],
	properties: {
		type: {
			anyOf: [{ enum: TYPES }, { type: "array", items: { enum: TYPES }, minItems: 1, uniqueItems: true }],
		},
		properties: SUBSCHEMA_MAP,
		patternProperties: { ...SUBSCHEMA_MAP, propertyNames: { format: "regex" } },
		additionalProperties: SUBSCHEMA,
		propertyNames: SUBSCHEMA,
		unevaluatedProperties: SUBSCHEMA,
		items: { anyOf: [SUBSCHEMA, { type: "array", items: SUBSCHEMA }] },
		prefixItems: SUBSCHEMA_LIST,
		additionalItems: SUBSCHEMA,
		unevaluatedItems: SUBSCHEMA,
		contains: SUBSCHEMA,
		not: SUBSCHEMA,
		if: SUBSCHEMA,
		// A plain key here, never awaited: the schema's own keyword (written quoted so lint says nothing).
		["then" as string]: SUBSCHEMA,
		else: SUBSCHEMA,
		allOf: SUBSCHEMA_LIST,
		anyOf: SUBSCHEMA_LIST,
		oneOf: SUBSCHEMA_LIST,
		$defs: SUBSCHEMA_MAP,
		definitions: SUBSCHEMA_MAP,
		dependentSchemas: SUBSCHEMA_MAP,
		dependentRequired: { type: "object", additionalProperties: NAMES },
		required: { ...NAMES, uniqueItems: true },
		enum: { type: "array" },
		minimum: NUMBER,
		maximum: NUMBER,
		// Booleans in draft 4, numbers since draft 6.
		exclusiveMinimum: { type: ["number", "boolean"] },
		exclusiveMaximum: { type: ["number", "boolean"] },
		multipleOf: { type: "number", exclusiveMinimum: 0 },
		minLength: COUNT,
		maxLength: COUNT,
		minItems: COUNT,
		maxItems: COUNT,
		minContains: COUNT,
		maxContains: COUNT,
		minProperties: COUNT,
		maxProperties: COUNT,
		uniqueItems: { type: "boolean" },
		pattern: { type: "string", format: "regex" },
		format: TEXT,
		title: TEXT,
		description: TEXT,
		$ref: TEXT,
		$id: TEXT,
		$schema: TEXT,
	},
};

const checkShape = compileSchema(SCHEMA_OF_SCHEMAS);

export interface SchemaProblem {
	/** Under `at`, e.g. `input_schema.properties.amount.minimum`. */
	path: string;
	message: string;
}

/** Every problem of `schema`, found at `at` (the template path of the schema itself). */
export function jsonSchemaProblems(schema: unknown, at: ReadonlyArray<string | number>): SchemaProblem[] {
	const shape = checkShape(schema);
	if (shape.length > 0) {
		return shape.map((v) => ({
			path: pointerToPath(v.pointer, at),
			message: `not a valid JSON Schema: ${v.message}`,
		}));
	}
	// A well-shaped schema can still fail to compile or run: a $ref to nothing is found only then.
	try {
		compileSchema(schema)({});
		compileSchema(schema)([]);
		return [];
	} catch (error) {
		return [
			{
				path: pointerToPath("#", at),
				message: `not a usable JSON Schema: ${String((error as Error).message ?? error).split("\n")[0]}`,
			},
		];
	}
}
