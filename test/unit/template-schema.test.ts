// The template schema alone: strict keys, types, ranges, semver, names, defaults, and readable messages.
import { describe, expect, it } from "vitest";
import {
	DEFAULT_RETRY,
	DEFAULT_STEP_TIMEOUT_SECONDS,
	MAX_ATTEMPTS_REASON,
	MAX_BACKOFF_REASON,
	MAX_STEP_TIMEOUT_REASON,
} from "../../src/limits";
import { templateSchema } from "../../src/templates/template-schema";
import type { TemplateProblem } from "../../src/templates/validate-template";
import { formatPath } from "../../src/validation/field-schemas";

type Json = Record<string, unknown>;

function template(overrides: Json = {}, step: Json = {}): Json {
	return {
		name: "order_processing",
		namespace_name: "default",
		version: "1.0.0",
		steps: [{ name: "validate_order", handler: { callable: "ValidateOrderHandler" }, ...step }],
		...overrides,
	};
}

function problems(input: unknown): TemplateProblem[] {
	const result = templateSchema.safeParse(input);
	return result.success
		? []
		: result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

function onlyProblem(input: unknown): TemplateProblem {
	const found = problems(input);
	expect(found).toHaveLength(1);
	return found[0] as TemplateProblem;
}

describe("templateSchema", () => {
	it("accepts a minimal template and applies every default", () => {
		const parsed = templateSchema.parse(template());
		const step = parsed.steps[0];
		expect(step?.retry).toEqual({
			retryable: DEFAULT_RETRY.retryable,
			max_attempts: DEFAULT_RETRY.maxAttempts,
			backoff: DEFAULT_RETRY.backoff,
			backoff_base_ms: DEFAULT_RETRY.backoffBaseMs,
			max_backoff_ms: DEFAULT_RETRY.maxBackoffMs,
		});
		expect(step?.retry).toEqual({
			retryable: true,
			max_attempts: 3,
			backoff: "exponential",
			backoff_base_ms: 1000,
			max_backoff_ms: 30000,
		});
		expect(step?.timeout_seconds).toBe(DEFAULT_STEP_TIMEOUT_SECONDS);
		expect(step?.handler.initialization).toEqual({});
	});

	it("fills in the retry fields that a partial retry block leaves out", () => {
		const parsed = templateSchema.parse(template({}, { retry: { max_attempts: 5 } }));
		expect(parsed.steps[0]?.retry).toMatchObject({
			max_attempts: 5,
			backoff: "exponential",
			backoff_base_ms: 1000,
		});
	});

	it("gives each step its own initialization object", () => {
		const parsed = templateSchema.parse({
			...template(),
			steps: [
				{ name: "a", handler: { callable: "A" } },
				{ name: "b", handler: { callable: "B" } },
			],
		});
		expect(parsed.steps[0]?.handler.initialization).not.toBe(parsed.steps[1]?.handler.initialization);
	});

	it("accepts free-form metadata (documentation only) and handler initialization", () => {
		const input = template(
			{ metadata: { author: "ops", tags: ["orders"], notes: { any: "thing" } }, description: "Orders" },
			{ handler: { callable: "X", initialization: { strict: true, limits: [1, 2] } } },
		);
		expect(problems(input)).toEqual([]);
	});

	describe("unknown keys", () => {
		it("at the root, listing the allowed keys", () => {
			expect(onlyProblem(template({ author: "me" }))).toEqual({
				path: "",
				message:
					'unknown key "author" (expected one of: name, namespace_name, version, description, metadata, system_dependencies, domain_events, input_schema, environments, identity_strategy, lifecycle, schedules, steps)',
			});
		});

		it("in a step", () => {
			const problem = onlyProblem(template({}, { deps: ["a"] }));
			expect(problem.path).toBe("steps[0]");
			expect(problem.message).toMatch(/^unknown key "deps" \(expected one of: name, description, handler, /);
		});

		it("in retry, with the exact wording", () => {
			expect(onlyProblem(template({}, { retry: { retries: 3 } }))).toEqual({
				path: "steps[0].retry",
				message:
					'unknown key "retries" (expected one of: retryable, max_attempts, backoff, backoff_base_ms, max_backoff_ms)',
			});
		});

		it("in handler", () => {
			const problem = onlyProblem(template({}, { handler: { callable: "X", config: {} } }));
			expect(problem.path).toBe("steps[0].handler");
			expect(problem.message).toBe(
				'unknown key "config" (expected one of: callable, initialization, method, resolver)',
			);
		});

		it("names the nearest valid key of a typo", () => {
			expect(onlyProblem(template({ input_shema: {} })).message).toMatch(
				/; did you mean "input_schema"\?\)$/,
			);
			expect(onlyProblem(template({}, { publish_events: [] })).message).toMatch(
				/; did you mean "publishes_events"\?\)$/,
			);
			expect(onlyProblem(template({}, { handler: { callable: "X", methd: "go" } })).message).toMatch(
				/; did you mean "method"\?\)$/,
			);
			expect(onlyProblem(template({ environments: { test: { stepz: [] } } })).message).toMatch(
				/did you mean "steps"\?\)$/,
			);
		});

		it("names every unknown key of one mapping", () => {
			expect(onlyProblem(template({ a: 1, b: 2 })).message).toMatch(/^unknown keys "a", "b" \(/);
		});
	});

	describe("types", () => {
		it("a template that is not a mapping", () => {
			expect(onlyProblem(["a"])).toEqual({
				path: "",
				message: "expected a mapping (the task template), got a list of 1 item(s)",
			});
		});

		it("a missing required field", () => {
			const { name: _, ...withoutName } = template();
			const problem = onlyProblem(withoutName);
			expect(problem.path).toBe("name");
			expect(problem.message).toMatch(/^required but missing: expected a template name matching/);
		});

		it("a handler given as a bare string", () => {
			expect(onlyProblem(template({}, { handler: "ValidateOrderHandler" }))).toEqual({
				path: "steps[0].handler",
				message: 'expected a mapping such as {callable: MyHandler}, got "ValidateOrderHandler"',
			});
		});

		it("dependencies that are not a list, and a list item that is not a string", () => {
			expect(onlyProblem(template({}, { dependencies: "a" }))).toEqual({
				path: "steps[0].dependencies",
				message: 'expected a list of step names, got "a"',
			});
			expect(onlyProblem(template({}, { dependencies: ["a", 7] }))).toEqual({
				path: "steps[0].dependencies[1]",
				message: "expected a step name, got 7",
			});
		});

		it("retryable that is not a boolean", () => {
			expect(onlyProblem(template({}, { retry: { retryable: "yes" } }))).toEqual({
				path: "steps[0].retry.retryable",
				message: 'expected true or false, got "yes"',
			});
		});

		it("a description that is not a string, and initialization that is not a mapping", () => {
			expect(onlyProblem(template({ description: 5 })).message).toBe("expected a string, got 5");
			expect(onlyProblem(template({}, { handler: { callable: "X", initialization: [1] } }))).toEqual({
				path: "steps[0].handler.initialization",
				message: "expected a mapping of handler settings, got a list of 1 item(s)",
			});
		});

		it("a backoff kind that does not exist", () => {
			expect(onlyProblem(template({}, { retry: { backoff: "expo" } }))).toEqual({
				path: "steps[0].retry.backoff",
				message: 'expected one of: none, linear, exponential, fibonacci, got "expo"',
			});
		});
	});

	describe("ranges", () => {
		it.each([
			[
				{ retry: { max_attempts: -1 } },
				"steps[0].retry.max_attempts",
				"expected an integer from 0 to 10000, got -1",
			],
			[
				{ retry: { max_attempts: 10_001 } },
				"steps[0].retry.max_attempts",
				`expected an integer from 0 to 10000, got 10001: ${MAX_ATTEMPTS_REASON}`,
			],
			[
				{ retry: { max_attempts: 2.5 } },
				"steps[0].retry.max_attempts",
				"expected an integer from 0 to 10000, got 2.5",
			],
			[
				{ retry: { backoff_base_ms: -1 } },
				"steps[0].retry.backoff_base_ms",
				"expected an integer from 0 to 604800000, got -1",
			],
			[
				{ retry: { max_backoff_ms: 604_800_001 } },
				"steps[0].retry.max_backoff_ms",
				`expected an integer from 0 to 604800000, got 604800001: ${MAX_BACKOFF_REASON}`,
			],
			[{ timeout_seconds: 0 }, "steps[0].timeout_seconds", "expected an integer from 1 to 3600, got 0"],
			[
				{ timeout_seconds: 3601 },
				"steps[0].timeout_seconds",
				`expected an integer from 1 to 3600, got 3601: ${MAX_STEP_TIMEOUT_REASON}`,
			],
			[{ timeout_seconds: "30" }, "steps[0].timeout_seconds", 'expected an integer from 1 to 3600, got "30"'],
		])("%j", (step, path, message) => {
			expect(onlyProblem(template({}, step))).toEqual({ path, message });
		});

		it("accepts the bounds themselves", () => {
			const input = template(
				{},
				{
					retry: { max_attempts: 10_000, backoff_base_ms: 604_800_000, max_backoff_ms: 604_800_000 },
					timeout_seconds: 3600,
				},
			);
			expect(problems(input)).toEqual([]);
		});

		it("accepts the reference's own lower values (its retry fixtures use 50 and 200 ms) and 0 attempts", () => {
			const input = template({}, { retry: { max_attempts: 0, backoff_base_ms: 0, max_backoff_ms: 200 } });
			expect(problems(input)).toEqual([]);
			expect(problems(template({}, { retry: { backoff_base_ms: 50, max_backoff_ms: 200 } }))).toEqual([]);
		});

		it("a template without steps", () => {
			expect(onlyProblem(template({ steps: [] }))).toEqual({
				path: "steps",
				message: "expected a list of 1 to 10000 steps, got an empty list",
			});
		});

		it("a callable that is empty or too long", () => {
			expect(onlyProblem(template({}, { handler: { callable: "" } })).path).toBe("steps[0].handler.callable");
			expect(onlyProblem(template({}, { handler: { callable: "x".repeat(501) } })).message).toMatch(
				/^expected a handler name of 1 to 500 characters, got "x+\.\.\."$/,
			);
		});
	});

	describe("version", () => {
		it("rejects a version that is not semver, with the exact wording", () => {
			expect(onlyProblem(template({ version: "1.0" }))).toEqual({
				path: "version",
				message: 'expected a semver version such as 1.0.0, got "1.0"',
			});
		});

		it("explains a version that YAML read as a number", () => {
			expect(onlyProblem(template({ version: 1 })).message).toBe(
				"expected a semver version such as 1.0.0, got 1 (a YAML number: write the full x.y.z version)",
			);
		});

		it("suggests the canonical form of a loose version", () => {
			expect(onlyProblem(template({ version: "v1.0.0" })).message).toContain('(did you mean "1.0.0"?)');
		});

		it("accepts prereleases", () => {
			expect(problems(template({ version: "1.2.0-beta.1" }))).toEqual([]);
		});
	});

	describe("names", () => {
		it("rejects a namespace with capitals or dashes", () => {
			expect(onlyProblem(template({ namespace_name: "Shop-EU" }))).toEqual({
				path: "namespace_name",
				message: 'expected a namespace matching ^[a-z0-9_]+$ (at most 29 characters), got "Shop-EU"',
			});
		});

		it("rejects a namespace longer than 29 characters", () => {
			expect(problems(template({ namespace_name: "a".repeat(29) }))).toEqual([]);
			expect(onlyProblem(template({ namespace_name: "a".repeat(30) })).path).toBe("namespace_name");
		});

		it("rejects a template name that does not start with a lowercase letter, or is too long", () => {
			expect(onlyProblem(template({ name: "Order" })).message).toBe(
				'expected a template name matching ^[a-z][a-z0-9_]*$ (at most 128 characters), got "Order"',
			);
			expect(onlyProblem(template({ name: `a${"b".repeat(128)}` })).path).toBe("name");
		});

		it("rejects a step name that is not an identifier", () => {
			expect(onlyProblem(template({}, { name: "validate-order" }))).toEqual({
				path: "steps[0].name",
				message:
					'expected a step name matching ^[A-Za-z_][A-Za-z0-9_]*$ (at most 128 characters), got "validate-order"',
			});
		});
	});

	it("rejects a step giving both dependencies and depends_on, naming both keys", () => {
		const problem = onlyProblem(template({}, { dependencies: [], depends_on: [] }));
		expect(problem.path).toBe("steps[0]");
		expect(problem.message).toContain('"dependencies"');
		expect(problem.message).toContain('"depends_on"');
	});

	it("reports every problem, not only the first", () => {
		const found = problems(template({ version: "1", namespace_name: "A" }, { retry: { max_attempts: -1 } }));
		expect(found.map((p) => p.path)).toEqual(["namespace_name", "version", "steps[0].retry.max_attempts"]);
	});
});

describe("identity_strategy", () => {
	it("defaults to strict", () => {
		expect(templateSchema.parse(template()).identity_strategy).toBe("strict");
	});

	it.each(["strict", "caller_provided", "always_unique"])("accepts %s", (strategy) => {
		expect(templateSchema.parse(template({ identity_strategy: strategy })).identity_strategy).toBe(strategy);
	});

	it("rejects any other value, naming it and the allowed ones", () => {
		expect(onlyProblem(template({ identity_strategy: "unique" }))).toEqual({
			path: "identity_strategy",
			message: 'expected one of: strict, caller_provided, always_unique, got "unique"',
		});
		expect(onlyProblem(template({ identity_strategy: 3 })).message).toBe(
			"expected one of: strict, caller_provided, always_unique, got 3",
		);
	});
});
