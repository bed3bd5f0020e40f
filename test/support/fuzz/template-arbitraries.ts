// fast-check generators of template YAML for the fuzz tests: random text, soups of YAML's special
// constructs, hostile documents (alias bombs, deep nesting, huge ones) and near-valid templates with a
// field mutated, rendered to YAML (shared values become anchors and aliases).
import fc from "fast-check";
import { stringify } from "yaml";
import { templateView } from "../../../src/http/template-views";
import type { TaskTemplate } from "../../../src/templates/task-template";

/** Pieces of YAML syntax that mean something to a parser: anchors, tags, directives, indicators. */
const YAML_PIECES = [
	"&a ",
	"&b ",
	"*a",
	"*b",
	"*missing",
	"!!js/function 'function () { return 1 }'",
	"!!js/undefined ''",
	"!!js/regexp /x/",
	"!!binary aGVsbG8=",
	"!!set",
	"!!omap",
	"!!str ",
	"!!int ",
	"!!float ",
	"!!map ",
	"!!seq ",
	"!custom ",
	"!<tag:yaml.org,2002:str> ",
	"? ",
	"<<: *a",
	"<<: ",
	"---\n",
	"...\n",
	"%YAML 1.2\n",
	"%YAML 1.1\n",
	"%TAG ! tag:example.com,2000:\n",
	"|\n",
	"|-\n",
	">+\n",
	"- ",
	"-\n",
	"{",
	"}",
	"[",
	"]",
	", ",
	": ",
	":",
	"\n",
	"\n  ",
	"\n    ",
	"  ",
	"\t",
	"# comment\n",
	"'",
	'"',
	"\\",
	'"\\u0000"',
	'"\\x"',
	"name",
	"namespace_name",
	"version",
	"steps",
	"handler",
	"callable",
	"dependencies",
	"depends_on",
	"retry",
	"initialization",
	"__proto__",
	"constructor",
	"0x1F",
	"0o17",
	"1e309",
	"-0",
	".inf",
	"-.inf",
	".nan",
	"~",
	"null",
	"yes",
	"no",
	"on",
	"1.0.0",
	"2001-12-14t21:59:43.10-05:00",
	"\ufeff",
	"\u0000",
	"\u2028",
	"😀",
	"@",
	"`",
	"%",
];

export const yamlSoupArbitrary: fc.Arbitrary<string> = fc
	.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...YAML_PIECES) }, fc.string({ maxLength: 6 })), {
		maxLength: 60,
	})
	.map((pieces) => pieces.join(""));

export const randomTextArbitrary: fc.Arbitrary<string> = fc.oneof(
	fc.string({ maxLength: 200 }),
	fc.string({ unit: "grapheme", maxLength: 100 }),
	fc.string({ unit: "binary", maxLength: 100 }),
	fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
	fc.jsonValue({ maxDepth: 4 }).map((v) => stringify(v)),
);

/** Documents built to exhaust a parser: alias bombs, chains of anchors, deep nesting, sheer size. */
export const hostileYamlArbitrary: fc.Arbitrary<string> = fc.oneof(
	// Billion laughs: each level holds `fanOut` aliases of the one below.
	fc.tuple(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 })).map(([levels, fanOut]) => {
		let text = "l0: &l0 [lol]\n";
		for (let i = 1; i < levels; i++)
			text += `l${i}: &l${i} [${Array(fanOut)
				.fill(`*l${i - 1}`)
				.join(", ")}]\n`;
		return text;
	}),
	// A chain of anchors, each holding an alias of the one before.
	fc
		.integer({ min: 10, max: 20_000 })
		.map((n) => Array.from({ length: n }, (_, i) => `k${i}: &a${i} [*a${Math.max(0, i - 1)}]`).join("\n")),
	// Many aliases of one anchor, scalar or mapping.
	fc
		.tuple(fc.integer({ min: 1, max: 50_000 }), fc.constantFrom("x", "{a: 1}", "[1, 2]"))
		.map(([n, value]) => `d: &d ${value}\nl:\n${"  - *d\n".repeat(n)}`),
	// An alias inside its own anchor, somewhere in a near-valid template.
	fc.constantFrom(
		"a: &a [*a]",
		"a: &a {b: *a}",
		"name: &n t\nnamespace_name: ns\nversion: 1.0.0\nsteps: &s\n  - name: a\n    handler: {callable: Handler_a, initialization: {s: *s}}",
		"metadata: &m {self: *m}\nname: t",
	),
	// Nesting, flow or block, of any depth.
	fc
		.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom(["[", "]"], ["{a: ", "}"]))
		.map(
			([depth, [open, close]]) =>
				`metadata: ${(open as string).repeat(depth)}1${(close as string).repeat(depth)}`,
		),
	fc
		.integer({ min: 1, max: 3_000 })
		.map((depth) => Array.from({ length: depth }, (_, i) => `${"  ".repeat(i)}k:`).join("\n")),
	fc
		.integer({ min: 1, max: 2_000 })
		.map((depth) => Array.from({ length: depth }, (_, i) => `${"  ".repeat(i)}- `).join("\n")),
	// Size: many keys (unique or not), a long line, many documents, a long block scalar.
	fc
		.tuple(fc.integer({ min: 1, max: 40_000 }), fc.boolean())
		.map(([n, unique]) => Array.from({ length: n }, (_, i) => `${unique ? `k${i}` : "k"}: ${i}`).join("\n")),
	fc.integer({ min: 1, max: 200_000 }).map((n) => `name: ${"x".repeat(n)}`),
	fc.integer({ min: 1, max: 5_000 }).map((n) => "a: 1\n---\n".repeat(n)),
	fc.integer({ min: 1, max: 20_000 }).map((n) => `description: |\n${"  line\n".repeat(n)}`),
	fc.integer({ min: 1, max: 3_000 }).map((n) => `x: [${Array(n).fill("&x 1, *x").join(", ")}]`),
);

const STEP_NAMES = ["a", "b", "c", "d", "validate_order", "Step_1"];

/** Any JSON-ish value a field could be given instead of the right one. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
	fc.jsonValue({ maxDepth: 2 }),
	fc.constantFrom(
		0,
		-1,
		1.5,
		Number.NaN,
		Number.POSITIVE_INFINITY,
		-0,
		Number.MAX_VALUE,
		Number.MIN_VALUE,
		2 ** 53 + 1,
		"",
		" ",
		"x".repeat(600),
		"1.0",
		"v1.0.0",
		"1.0.0+build",
		"UPPER",
		"has space",
		"__proto__",
		[],
		{},
		null,
		true,
	),
);

/** The value one time in seven, null otherwise. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>) =>
	fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

const stepArbitrary = fc.record(
	{
		description: fc.string({ maxLength: 10 }),
		handler: fc.record(
			{
				callable: fc.oneof(
					{ weight: 9, arbitrary: fc.constantFrom("Handler_a", "Handler_b") },
					{ weight: 1, arbitrary: fc.constant("Unknown_handler") },
				),
				initialization: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), {
					maxKeys: 2,
				}),
			},
			{ requiredKeys: ["callable"] },
		),
		retry: fc.record(
			{
				retryable: fc.boolean(),
				max_attempts: fc.integer({ min: 1, max: 100 }),
				backoff: fc.constantFrom("none", "linear", "exponential", "fibonacci"),
				backoff_base_ms: fc.integer({ min: 100, max: 3_600_000 }),
				max_backoff_ms: fc.integer({ min: 1_000, max: 3_600_000 }),
			},
			{ requiredKeys: [] },
		),
		timeout_seconds: fc.integer({ min: 1, max: 3_600 }),
	},
	{ requiredKeys: ["handler"] },
);

/**
 * A template as written. Mostly a DAG of distinctly named steps, each depending on earlier ones; now and
 * then names from a small pool (so duplicates happen) and dependencies on anything (itself, a later step
 * for a cycle, an unknown one), under either key.
 */
export const templateInputArbitrary: fc.Arbitrary<Record<string, unknown>> = fc
	.record(
		{
			name: fc.constantFrom("order_processing", "t", "a_b_9"),
			namespace_name: fc.constantFrom("default", "billing", "ns_1"),
			version: fc.constantFrom("1.0.0", "0.0.1", "2.0.0-beta.1", "10.20.30"),
			description: fc.string({ maxLength: 20 }),
			identity_strategy: fc.constantFrom("strict", "caller_provided", "always_unique"),
			metadata: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
			steps: fc.array(
				fc.tuple(
					stepArbitrary,
					rarely(fc.constantFrom(...STEP_NAMES)),
					fc.array(fc.nat(), { maxLength: 3 }),
					rarely(fc.array(fc.constantFrom(...STEP_NAMES, "nowhere", "s0", "s1", "s2"), { maxLength: 3 })),
					fc.constantFrom("dependencies", "depends_on"),
				),
				{ minLength: 1, maxLength: 8 },
			),
		},
		{ requiredKeys: ["name", "namespace_name", "version", "steps"] },
	)
	.map((template) => ({
		...template,
		steps: template.steps.map(([step, pooledName, earlier, anyNames, key], i) => {
			const dependencies = anyNames ?? (i === 0 ? [] : [...new Set(earlier.map((n) => `s${n % i}`))]);
			return { name: pooledName ?? `s${i}`, ...step, [key]: dependencies };
		}),
	}));

/** A value with one field at `path` replaced, removed, or a stray key added beside it. */
function mutate(
	value: Record<string, unknown>,
	choice: number,
	replacement: unknown,
	kind: "set" | "delete" | "add",
): Record<string, unknown> {
	const copy = structuredClone(value);
	const holders: Array<Record<string, unknown>> = [];
	const collect = (node: unknown) => {
		if (node === null || typeof node !== "object") return;
		if (!Array.isArray(node)) holders.push(node as Record<string, unknown>);
		for (const child of Object.values(node)) collect(child);
	};
	collect(copy);
	const holder = holders[choice % holders.length] as Record<string, unknown>;
	const keys = Object.keys(holder);
	const key = keys.length === 0 ? "extra" : (keys[choice % keys.length] as string);
	if (kind === "set") holder[key] = replacement;
	else if (kind === "delete") delete holder[key];
	else holder[typeof replacement === "string" && replacement !== "" ? replacement : "retries"] = 3;
	return copy;
}

/** A near-valid template, maybe with one field wrong, maybe with shared values (anchors), as YAML. */
export const nearValidTemplateYaml: fc.Arbitrary<string> = fc
	.tuple(
		templateInputArbitrary,
		fc.option(
			fc.tuple(fc.nat(), wrongValue, fc.constantFrom("set" as const, "delete" as const, "add" as const)),
			{
				freq: 2,
			},
		),
		fc.boolean(),
	)
	.map(([template, mutation, share]) => {
		let input = mutation === null ? template : mutate(template, ...mutation);
		if (share) {
			// The same retry object in every step: yaml.stringify writes it once with an anchor, then aliases.
			const steps = input.steps;
			if (Array.isArray(steps) && steps.length > 1) {
				const shared = { retryable: true, max_attempts: 5 };
				input = {
					...input,
					steps: steps.map((s) => (s && typeof s === "object" ? { ...s, retry: shared } : s)),
				};
			}
		}
		return stringify(input, { aliasDuplicateObjects: true });
	});

const OPTIONAL_KEYS = new Set([
	"metadata",
	"system_dependencies",
	"domain_events",
	"input_schema",
	"environments",
	"method",
	"resolver",
	"system_dependency",
	"result_schema",
	"publishes_events",
	"composition",
]);

function withoutEmpty<T extends Record<string, unknown>>(value: T): Partial<T> {
	return Object.fromEntries(
		Object.entries(value).filter(
			([key, v]) => !(OPTIONAL_KEYS.has(key) && (v === null || (Array.isArray(v) && v.length === 0))),
		),
	) as Partial<T>;
}

/** The normalised template written back as a template file: it must validate to itself. */
export function templateToYaml(template: TaskTemplate): string {
	// The API's view of a template is the template format but for three fields: the namespace's key,
	// the identity strategy, and a null description (which the format leaves out).
	// It also shows every key of the wider format, null or empty when unused, and the environment it is
	// resolved for: those are left out, as the template left them out.
	const { namespace, description, steps, environment: _environment, ...view } = templateView(template);
	return stringify({
		...withoutEmpty(view),
		namespace_name: namespace,
		...(description === null ? {} : { description }),
		identity_strategy: template.identityStrategy,
		steps: steps.map(({ description: stepDescription, handler, ...step }) => {
			const written = { ...withoutEmpty(step), handler: withoutEmpty(handler) };
			return stepDescription === null ? written : { ...written, description: stepDescription };
		}),
	});
}
