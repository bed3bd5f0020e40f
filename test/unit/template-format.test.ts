// The reference's wider template format, key by key: accepted and normalised, JSON Schemas checked
// when the template loads, environments resolved as the reference's resolve_for_environment,
// handler.method and handler.resolver checked, typos named with the key they most likely meant.
import { describe, expect, it } from "vitest";
import { TemplateRegistry } from "../../src/registry/template-registry";
import { resolveForEnvironment, taskerEnvironment } from "../../src/templates/resolve-environment";
import type { TaskTemplate } from "../../src/templates/task-template";
import { type TemplateProblem, validateTemplate } from "../../src/templates/validate-template";

function template(extra: Record<string, unknown> = {}, step: Record<string, unknown> = {}) {
	return {
		name: "wide",
		namespace_name: "shop",
		version: "1.0.0",
		steps: [
			{ name: "validate", handler: { callable: "Validate" }, ...step },
			{
				name: "charge",
				handler: { callable: "Charge", initialization: { url: "https://pay" } },
				dependencies: ["validate"],
			},
		],
		...extra,
	};
}

function valid(input: unknown, environment?: string): TaskTemplate {
	const result = validateTemplate(input, environment === undefined ? {} : { environment });
	if (!result.ok) throw new Error(`expected valid, got ${JSON.stringify(result.problems)}`);
	return result.template;
}

function problems(input: unknown, options: Parameters<typeof validateTemplate>[1] = {}): TemplateProblem[] {
	const result = validateTemplate(input, options);
	if (result.ok) throw new Error("expected problems, the template is valid");
	return result.problems;
}

describe("template keys of the reference", () => {
	it("keeps description, metadata with free-form keys, system_dependencies and domain_events", () => {
		const out = valid(
			template({
				description: "Shop",
				metadata: {
					author: "team",
					tags: ["a"],
					documentation_url: null,
					created_at: "2025-12-23T00:00:00Z",
					notes: "free-form",
				},
				system_dependencies: { primary: "gateway", secondary: ["ledger"] },
				domain_events: [{ name: "order.created", description: "made", schema: { type: "object" } }],
			}),
		);
		expect(out.description).toBe("Shop");
		expect(out.metadata).toEqual({
			author: "team",
			tags: ["a"],
			documentation_url: null,
			created_at: "2025-12-23T00:00:00Z",
			notes: "free-form",
		});
		expect(out.systemDependencies).toEqual({ primary: "gateway", secondary: ["ledger"] });
		expect(out.domainEvents).toEqual([
			{ name: "order.created", description: "made", schema: { type: "object" } },
		]);
	});

	it("defaults system_dependencies.primary to default, as the reference", () => {
		expect(valid(template({ system_dependencies: {} })).systemDependencies).toEqual({
			primary: "default",
			secondary: [],
		});
	});

	it("keeps a plain template exactly as before: no new field appears", () => {
		const out = valid(template());
		expect(Object.keys(out).sort()).toEqual([
			"description",
			"identityStrategy",
			"name",
			"namespace",
			"steps",
			"version",
		]);
		expect(Object.keys(out.steps[0] ?? {}).sort()).toEqual([
			"callable",
			"dependencies",
			"description",
			"initialization",
			"name",
			"retry",
			"timeoutSeconds",
		]);
	});

	it("accepts the nulls the reference's fixtures write (system_dependency:, documentation_url:)", () => {
		const out = valid(
			template({ description: null }, { system_dependency: null, description: null, publishes_events: [] }),
		);
		expect(out.steps[0]?.systemDependency).toBeUndefined();
		expect(out.steps[0]?.publishesEvents).toBeUndefined();
	});
});

describe("step keys of the reference", () => {
	it("keeps system_dependency, handler.method (not when it is call), handler.resolver, result_schema, composition", () => {
		const out = valid(
			template(
				{},
				{
					system_dependency: "gateway",
					handler: { callable: "Validate", method: "process_refund", resolver: "explicit_mapping" },
					result_schema: { type: "object" },
					composition: { grammar: "x" },
				},
			),
		);
		expect(out.steps[0]).toMatchObject({
			systemDependency: "gateway",
			method: "process_refund",
			resolver: "explicit_mapping",
			resultSchema: { type: "object" },
			composition: { grammar: "x" },
		});
		expect(
			valid(template({}, { handler: { callable: "V", method: "call" } })).steps[0]?.method,
		).toBeUndefined();
	});

	it("normalises publishes_events with the reference's defaults: condition success, delivery durable", () => {
		const out = valid(template({}, { publishes_events: [{ name: "order.validated" }] }));
		expect(out.steps[0]?.publishesEvents).toEqual([
			{
				name: "order.validated",
				description: null,
				condition: "success",
				schema: null,
				deliveryMode: "durable",
				publisher: null,
			},
		]);
	});

	it.each(["success", "failure", "retryable_failure", "permanent_failure", "always"])(
		"accepts condition %s",
		(condition) => {
			expect(
				valid(template({}, { publishes_events: [{ name: "a.b", condition }] })).steps[0]?.publishesEvents?.[0]
					?.condition,
			).toBe(condition);
		},
	);

	it.each(["durable", "fast", "broadcast"])("accepts delivery_mode %s", (mode) => {
		expect(
			valid(template({}, { publishes_events: [{ name: "a.b", delivery_mode: mode }] })).steps[0]
				?.publishesEvents?.[0]?.deliveryMode,
		).toBe(mode);
	});

	it("refuses event names outside the reference's namespace.action form, and unknown conditions", () => {
		const found = problems(
			template(
				{},
				{ publishes_events: [{ name: "NoDot" }, { name: "a..b" }, { name: "a.b", condition: "sometimes" }] },
			),
		);
		expect(found.map((p) => p.path)).toEqual([
			"steps[0].publishes_events[0].name",
			"steps[0].publishes_events[1].name",
			"steps[0].publishes_events[2].condition",
		]);
		expect(found[2]?.message).toBe(
			'expected one of: success, failure, retryable_failure, permanent_failure, always, got "sometimes"',
		);
	});

	it("refuses an unknown resolver, naming the nearest", () => {
		expect(problems(template({}, { handler: { callable: "V", resolver: "explicit_maping" } }))).toEqual([
			{
				path: "steps[0].handler.resolver",
				message:
					'unknown resolver "explicit_maping" (expected one of: explicit_mapping, class_lookup) (did you mean "explicit_mapping"?)',
			},
		]);
	});

	it("refuses a handler.method the handler class lacks, when the class is known; not when it is not", () => {
		const input = template({}, { handler: { callable: "Validate", method: "refund" } });
		const hasMethod = (callable: string, method: string) =>
			callable === "Validate" ? method === "call" : undefined;
		expect(problems(input, { handlerHasMethod: hasMethod })).toEqual([
			{
				path: "steps[0].handler.method",
				message:
					'handler "Validate" has no method "refund" (handler.method names the method called instead of call)',
			},
		]);
		expect(validateTemplate(input, { handlerHasMethod: () => undefined }).ok).toBe(true);
		expect(validateTemplate(input, { handlerHasMethod: () => true }).ok).toBe(true);
	});
});

describe("JSON Schemas in a template", () => {
	it("checks input_schema, result_schema and event schemas when the template loads, naming each path", () => {
		const found = problems(
			template(
				{
					input_schema: {
						type: "object",
						properties: { amount: { type: "nubmer", minimum: "0" } },
						required: "amount",
					},
					domain_events: [{ name: "a.b", schema: { pattern: "((" } }],
				},
				{
					result_schema: { items: [{ type: 3 }] },
					publishes_events: [{ name: "a.b", schema: { minLength: -1 } }],
				},
			),
		);
		expect(found).toEqual(
			expect.arrayContaining([
				{
					path: "input_schema.properties.amount.type",
					message: expect.stringMatching(
						/^not a valid JSON Schema: Instance does not match any subschemas\. \(Instance does not match any of \["array",/,
					),
				},
				{
					path: "input_schema.properties.amount.minimum",
					message: expect.stringContaining("not a valid JSON Schema"),
				},
				{ path: "input_schema.required", message: expect.stringContaining("not a valid JSON Schema") },
				{
					path: "domain_events[0].schema.pattern",
					message: 'not a valid JSON Schema: String does not match format "regex".',
				},
				{
					path: "steps[0].result_schema.items",
					message: expect.stringContaining("not a valid JSON Schema"),
				},
				{
					path: "steps[0].publishes_events[0].schema.minLength",
					message: expect.stringContaining("not a valid JSON Schema"),
				},
			]),
		);
	});

	it("refuses a schema whose $ref leads nowhere", () => {
		expect(problems(template({ input_schema: { $ref: "#/$defs/missing" } }))).toEqual([
			{ path: "input_schema", message: expect.stringMatching(/^not a usable JSON Schema: Unresolved \$ref/) },
		]);
	});

	it("accepts true/false, drafts by $schema, $defs with $ref, formats", () => {
		valid(template({ input_schema: true }));
		valid(
			template({
				input_schema: {
					$schema: "http://json-schema.org/draft-07/schema#",
					definitions: { id: { type: "string", format: "uuid" } },
					properties: { id: { $ref: "#/definitions/id" } },
				},
			}),
		);
	});

	it("refuses a schema that is not a mapping or a boolean", () => {
		expect(problems(template({ input_schema: "object" }))[0]).toEqual({
			path: "input_schema",
			message:
				'expected the context\'s schema (a JSON Schema: a mapping such as {type: object}, or true/false), got "object"',
		});
	});
});

describe("environments", () => {
	const withEnvironments = (environments: unknown) =>
		template(
			{ environments },
			{
				timeout_seconds: 30,
				retry: { max_attempts: 5, backoff: "linear" },
				handler: { callable: "Validate", initialization: { url: "https://prod", keep: 1 } },
			},
		);

	it("applies a step's override: initialization merged key by key, timeout replaced, retry replaced whole", () => {
		const input = withEnvironments({
			test: {
				steps: [
					{
						name: "validate",
						handler: { initialization: { url: "http://localhost" } },
						timeout_seconds: 10,
						retry: { max_attempts: 2 },
					},
				],
			},
		});
		const step = valid(input, "test").steps[0];
		expect(step?.initialization).toEqual({ url: "http://localhost", keep: 1 });
		expect(step?.timeoutSeconds).toBe(10);
		// Replaced whole, as the reference: backoff falls back to its default, not to the step's linear.
		expect(step?.retry).toEqual({
			retryable: true,
			maxAttempts: 2,
			backoff: "exponential",
			backoffBaseMs: 1000,
			maxBackoffMs: 30000,
		});
		expect(valid(input, "development").steps[0]?.timeoutSeconds).toBe(30);
	});

	it("name: ALL applies to every step; later overrides win", () => {
		const input = withEnvironments({
			test: {
				steps: [
					{ name: "ALL", timeout_seconds: 10 },
					{ name: "charge", timeout_seconds: 20 },
				],
			},
		});
		const out = valid(input, "test");
		expect(out.steps.map((s) => s.timeoutSeconds)).toEqual([10, 20]);
		expect(out.environment).toBe("test");
		expect(out.environments?.test).toHaveLength(2);
	});

	it("an environment without overrides, or none at all, leaves the steps as written", () => {
		const input = withEnvironments({ test: { steps: [{ name: "ALL", timeout_seconds: 10 }] } });
		expect(valid(input, "production").steps[0]?.timeoutSeconds).toBe(30);
		expect(valid(withEnvironments({ test: null }), "test").steps[0]?.timeoutSeconds).toBe(30);
	});

	it("returns the template as written (no environment) when none is asked, for the Worker to resolve", () => {
		const written = valid(withEnvironments({ test: { steps: [{ name: "ALL", timeout_seconds: 10 }] } }));
		expect(written.environment).toBeUndefined();
		expect(written.steps[0]?.timeoutSeconds).toBe(30);
		expect(resolveForEnvironment(written, "test").steps[0]?.timeoutSeconds).toBe(10);
		expect(() => resolveForEnvironment(resolveForEnvironment(written, "test"), "test")).toThrow(
			/already resolved/,
		);
	});

	it("refuses an override naming a step that does not exist, suggesting the nearest", () => {
		expect(
			problems(withEnvironments({ test: { steps: [{ name: "chrage", timeout_seconds: 10 }] } })),
		).toEqual([
			{
				path: "environments.test.steps[0].name",
				message:
					'unknown step "chrage" (expected a step of this template, or ALL for every step) (did you mean "charge"?)',
			},
		]);
	});

	it("checks override values with the step's own ranges", () => {
		expect(
			problems(withEnvironments({ test: { steps: [{ name: "ALL", timeout_seconds: 0 }] } }))[0]?.path,
		).toBe("environments.test.steps[0].timeout_seconds");
	});

	it("checks each environment's resolved steps against the lifecycle thresholds", () => {
		const input = {
			...withEnvironments({ slow: { steps: [{ name: "validate", timeout_seconds: 3600 }] } }),
			lifecycle: { max_steps_in_process_minutes: 5 },
		};
		expect(problems(input)).toEqual([
			{
				path: "lifecycle.max_steps_in_process_minutes",
				message: expect.stringContaining('(with the overrides of environment "slow")'),
			},
		]);
	});

	it("TASKER_ENV defaults to development, as the reference", () => {
		expect(taskerEnvironment(undefined)).toBe("development");
		expect(taskerEnvironment("  ")).toBe("development");
		expect(taskerEnvironment(" test ")).toBe("test");
	});

	it("the Worker's registry serves the templates resolved for its TASKER_ENV, and re-resolves on a change", () => {
		const written = valid(withEnvironments({ test: { steps: [{ name: "ALL", timeout_seconds: 10 }] } }));
		const registry = new TemplateRegistry([written]);
		const timeout = () => {
			const found = registry.find("shop", "wide");
			return found.ok ? found.template.steps[0]?.timeoutSeconds : null;
		};
		expect(registry.environment).toBe("development");
		expect(timeout()).toBe(30);
		registry.useEnvironment("test");
		expect(registry.environment).toBe("test");
		expect(timeout()).toBe(10);
		registry.useEnvironment(undefined);
		expect(timeout()).toBe(30);
	});
});
