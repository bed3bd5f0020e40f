// Template validation end to end: YAML parsing, the semantic checks (names, dependencies, cycles,
// handlers, backoff) that run after the schema, and the normalised TaskTemplate it produces.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_YAML_ALIASES } from "../../src/limits";
import type { TaskTemplate } from "../../src/templates/task-template";
import {
	closestName,
	formatProblem,
	parseTemplateYaml,
	type TemplateProblem,
	validateTemplate,
	validateTemplateText,
} from "../../src/templates/validate-template";

type Json = Record<string, unknown>;

const SEED_HANDLERS = new Set([
	"ValidateOrderHandler",
	"ReserveInventoryHandler",
	"NotifyCustomerHandler",
	"ChargePaymentHandler",
]);

function step(name: string, dependencies: string[] = [], extra: Json = {}): Json {
	return { name, handler: { callable: "H" }, dependencies, ...extra };
}

function template(steps: Json[], extra: Json = {}): Json {
	return { name: "t", namespace_name: "default", version: "1.0.0", steps, ...extra };
}

function problemsOf(input: unknown, knownHandlers?: ReadonlySet<string>): TemplateProblem[] {
	const result = validateTemplate(input, { knownHandlers });
	if (result.ok) throw new Error("expected problems, the template is valid");
	return result.problems;
}

function valid(input: unknown, knownHandlers?: ReadonlySet<string>): TaskTemplate {
	const result = validateTemplate(input, { knownHandlers });
	if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.problems)}`);
	return result.template;
}

describe("validateTemplate", () => {
	it("accepts the seed template and normalises it", () => {
		const text = readFileSync(new URL("../../templates/order_processing.yaml", import.meta.url), "utf8");
		const result = validateTemplateText(text, { knownHandlers: SEED_HANDLERS });
		if (!result.ok) throw new Error(JSON.stringify(result.problems));
		const retry = {
			retryable: true,
			maxAttempts: 3,
			backoff: "exponential",
			backoffBaseMs: 1000,
			maxBackoffMs: 30000,
		};
		const seedStep = (name: string, description: string, callable: string, dependencies: string[]) => ({
			name,
			description,
			callable,
			initialization: {},
			dependencies,
			retry,
			timeoutSeconds: 30,
		});
		expect(result.template).toEqual({
			name: "order_processing",
			namespace: "default",
			version: "1.0.0",
			description: "Process a customer order",
			identityStrategy: "strict",
			steps: [
				seedStep("validate_order", "Validate order data", "ValidateOrderHandler", []),
				seedStep("reserve_inventory", "Reserve items in warehouse", "ReserveInventoryHandler", [
					"validate_order",
				]),
				seedStep("notify_customer", "Send order confirmation email", "NotifyCustomerHandler", [
					"validate_order",
				]),
				seedStep("charge_payment", "Charge the customer", "ChargePaymentHandler", ["reserve_inventory"]),
			],
		});
	});

	it("applies defaults: retryable, 3 attempts, exponential 1000/30000 ms, 30 s timeout, null descriptions", () => {
		const out = valid({
			name: "t",
			namespace_name: "ns",
			version: "1.0.0",
			steps: [{ name: "a", handler: { callable: "H" } }],
		});
		expect(out.namespace).toBe("ns");
		expect(out.description).toBeNull();
		expect(out.steps[0]).toEqual({
			name: "a",
			description: null,
			callable: "H",
			initialization: {},
			dependencies: [],
			retry: {
				retryable: true,
				maxAttempts: 3,
				backoff: "exponential",
				backoffBaseMs: 1000,
				maxBackoffMs: 30000,
			},
			timeoutSeconds: 30,
		});
	});

	it("keeps explicit retry settings, timeout and initialization", () => {
		const out = valid(
			template([
				step("a", [], {
					handler: { callable: "H", initialization: { strict: true } },
					retry: {
						retryable: false,
						max_attempts: 1,
						backoff: "linear",
						backoff_base_ms: 500,
						max_backoff_ms: 5000,
					},
					timeout_seconds: 120,
				}),
			]),
		);
		expect(out.steps[0]).toMatchObject({
			initialization: { strict: true },
			retry: { retryable: false, maxAttempts: 1, backoff: "linear", backoffBaseMs: 500, maxBackoffMs: 5000 },
			timeoutSeconds: 120,
		});
	});

	it("reads dependencies from the depends_on alias", () => {
		const out = valid(template([step("a"), { name: "b", handler: { callable: "H" }, depends_on: ["a"] }]));
		expect(out.steps[1]?.dependencies).toEqual(["a"]);
	});

	it("reports schema problems with rendered paths and skips the semantic checks", () => {
		const problems = problemsOf(template([step("a", ["missing"], { timeout_seconds: 0 })]));
		expect(problems).toEqual([
			{ path: "steps[0].timeout_seconds", message: "expected an integer from 1 to 3600, got 0" },
		]);
	});

	it("reports a duplicate step name with where it first appeared", () => {
		const problems = problemsOf(template([step("charge"), step("charge_x"), step("x"), step("charge")]));
		expect(problems).toEqual([
			{ path: "steps[3].name", message: 'duplicate step name "charge" (also steps[0])' },
		]);
	});

	it("reports an unknown dependency and suggests the closest step", () => {
		const problems = problemsOf(
			template([step("validate_order"), step("reserve_inventory"), step("c", ["reserve"])]),
		);
		expect(problems).toEqual([
			{
				path: "steps[2].dependencies[0]",
				message: 'unknown step "reserve" (did you mean "reserve_inventory"?)',
			},
		]);
	});

	it("suggests a step one typo away and nothing when no step is close", () => {
		expect(problemsOf(template([step("charge"), step("b", ["chrage"])]))[0]?.message).toBe(
			'unknown step "chrage" (did you mean "charge"?)',
		);
		expect(problemsOf(template([step("charge"), step("b", ["zzz"])]))[0]?.message).toBe('unknown step "zzz"');
	});

	it("uses the key the author wrote (depends_on) in the path", () => {
		const problems = problemsOf(template([{ name: "a", handler: { callable: "H" }, depends_on: ["nope"] }]));
		expect(problems[0]?.path).toBe("steps[0].depends_on[0]");
	});

	it("reports a step that depends on itself", () => {
		expect(problemsOf(template([step("a", ["a"])]))).toEqual([
			{ path: "steps[0].dependencies[0]", message: 'step "a" depends on itself' },
		]);
	});

	it("reports a dependency listed twice", () => {
		expect(problemsOf(template([step("a"), step("b", ["a", "a"])]))).toEqual([
			{ path: "steps[1].dependencies[1]", message: '"a" is listed twice (also dependencies[0])' },
		]);
	});

	it("names the steps of a dependency cycle", () => {
		// a depends on b, b on c, c on a.
		const problems = problemsOf(
			template([step("a", ["b"]), step("b", ["c"]), step("c", ["a"]), step("d", ["a"])]),
		);
		expect(problems).toHaveLength(1);
		const problem = problems[0] as TemplateProblem;
		expect(problem.path).toBe("steps");
		const match = problem.message.match(/^dependency cycle: (\w+(?: → \w+)+)/);
		expect(match).not.toBeNull();
		const names = (match?.[1] ?? "").split(" → ");
		expect(names).toHaveLength(4);
		expect(names[0]).toBe(names[3]);
		expect(new Set(names)).toEqual(new Set(["a", "b", "c"]));
		expect(problem.message).toContain("a → b → c → a");
	});

	it("reports every separate cycle", () => {
		const problems = problemsOf(
			template([step("a", ["b"]), step("b", ["a"]), step("c", ["d"]), step("d", ["c"])]),
		);
		expect(problems.map((p) => p.message)).toEqual([
			"dependency cycle: a → b → a (each step depends on the next)",
			"dependency cycle: c → d → c (each step depends on the next)",
		]);
	});

	it("handles a 10,000-step chain without recursion limits", () => {
		const steps = Array.from({ length: 10_000 }, (_, i) => step(`s${i}`, i === 0 ? [] : [`s${i - 1}`]));
		expect(valid(template(steps)).steps).toHaveLength(10_000);
		steps[0] = step("s0", ["s9999"]);
		const problems = problemsOf(template(steps));
		expect(problems).toHaveLength(1);
		expect(problems[0]?.message).toMatch(/^dependency cycle: s0 → s9999 → s9998 → /);
		expect(problems[0]?.message).toContain(
			"→ … (9990 more) … → s2 → s1 → s0 (each step depends on the next)",
		);
	});

	it("accepts max_backoff_ms below backoff_base_ms, as the reference does: the cap applies to every delay", () => {
		const out = valid(template([step("a", [], { retry: { backoff_base_ms: 5000, max_backoff_ms: 2000 } })]));
		expect(out.steps[0]?.retry).toMatchObject({ backoffBaseMs: 5000, maxBackoffMs: 2000 });
	});

	it("ignores the backoff bounds when there is no backoff", () => {
		const bounds = { backoff_base_ms: 60000, max_backoff_ms: 1000 };
		valid(template([step("a", [], { retry: { ...bounds, backoff: "none" } })]));
		valid(template([step("a", [], { retry: { ...bounds, retryable: false } })]));
		valid(template([step("a", [], { retry: { ...bounds, max_attempts: 1 } })]));
	});

	it("reports an unregistered callable and suggests a registered one", () => {
		const input = template([{ name: "a", handler: { callable: "ValidateOrder" } }]);
		expect(problemsOf(input, SEED_HANDLERS)).toEqual([
			{
				path: "steps[0].handler.callable",
				message: 'no registered handler "ValidateOrder" (did you mean "ValidateOrderHandler"?)',
			},
		]);
		// Without a handler list the callable is not checked.
		valid(input);
	});

	it("reports every semantic problem at once", () => {
		const problems = problemsOf(
			template([step("a", ["a"]), step("b", ["x"]), step("b"), step("c", ["d"]), step("d", ["c"])]),
		);
		expect(problems.map((p) => p.path)).toEqual([
			"steps[2].name",
			"steps[0].dependencies[0]",
			"steps[1].dependencies[0]",
			"steps",
		]);
	});
});

describe("validateTemplate: identity_strategy", () => {
	it("normalises it as identityStrategy, strict when omitted", () => {
		expect(valid(template([step("a")])).identityStrategy).toBe("strict");
		expect(valid(template([step("a")], { identity_strategy: "caller_provided" })).identityStrategy).toBe(
			"caller_provided",
		);
		expect(valid(template([step("a")], { identity_strategy: "always_unique" })).identityStrategy).toBe(
			"always_unique",
		);
	});

	it("reports a bad value at its path, with the allowed values", () => {
		expect(problemsOf(template([step("a")], { identity_strategy: "Strict" }))).toEqual([
			{
				path: "identity_strategy",
				message: 'expected one of: strict, caller_provided, always_unique, got "Strict"',
			},
		]);
	});
});

describe("parseTemplateYaml", () => {
	it("parses a mapping", () => {
		expect(parseTemplateYaml("name: x\nsteps: []\n")).toEqual({ ok: true, value: { name: "x", steps: [] } });
	});

	it("reports a syntax error with its line and column", () => {
		const result = parseTemplateYaml("name: x\nsteps:\n  - name: a\n    handler: [\n");
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems[0]?.path).toBe("");
		expect(result.problems[0]?.message).toMatch(/^YAML syntax error at line 5, column 1: /);
	});

	it("says a syntax error the parser reports several times at one place once", () => {
		const result = parseTemplateYaml("::: [[[");
		if (result.ok) throw new Error("expected problems");
		expect(result.problems).toHaveLength(1);
		expect(result.problems[0]?.message).toMatch(/^YAML syntax error at line 1, column 8: /);
	});

	it("rejects duplicate keys, naming the key and its line", () => {
		const result = parseTemplateYaml("name: x\nversion: 1.0.0\nname: y\n");
		expect(result).toEqual({
			ok: false,
			problems: [
				{ path: "", message: 'duplicate key "name" at line 3, column 1 (a key may appear once per mapping)' },
			],
		});
	});

	it("rejects several documents in one file", () => {
		const result = parseTemplateYaml("name: a\n---\nname: b\n");
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problems[0]?.message).toMatch(/line 2/);
	});

	it("reports an alias without an anchor instead of throwing", () => {
		const result = parseTemplateYaml("name: *nowhere\n");
		expect(result.ok).toBe(false);
	});

	it("validateTemplateText reports YAML problems before schema ones", () => {
		const result = validateTemplateText("name: a\nname: b\n", {});
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problems).toHaveLength(1);
	});
});

// Each found by fuzzing the loader (template-fuzz.test.ts): a 500, a hang or an internal message.
describe("parseTemplateYaml: hostile YAML", () => {
	const elapsed = <T>(run: () => T) => {
		const started = performance.now();
		const result = run();
		return { result, ms: performance.now() - started };
	};

	it("refuses an alias inside its own anchor (it loaded as a value containing itself, a 500 when answered)", () => {
		const text = [
			"name: t",
			"namespace_name: ns",
			"version: 1.0.0",
			"steps:",
			"  - name: a",
			"    handler:",
			"      callable: ValidateOrderHandler",
			"      initialization: &i {self: *i}",
		].join("\n");
		expect(validateTemplateText(text, { knownHandlers: SEED_HANDLERS })).toEqual({
			ok: false,
			problems: [
				{
					path: "steps[0].handler.initialization.self",
					message: "contains itself (a YAML alias inside its own anchor); a template must be plain data",
				},
			],
		});
	});

	it("finds every duplicate key of a 50,000-key mapping in linear time (the library's check was quadratic)", () => {
		const { result, ms } = elapsed(() => parseTemplateYaml("a: 1\n".repeat(50_000)));
		expect(ms).toBeLessThan(5_000);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.problems).toHaveLength(49_999);
			expect(result.problems[0]?.message).toBe(
				'duplicate key "a" at line 2, column 1 (a key may appear once per mapping)',
			);
		}
		const unique = elapsed(() =>
			parseTemplateYaml(Array.from({ length: 50_000 }, (_, i) => `k${i}: 1`).join("\n")),
		);
		expect(unique.ms).toBeLessThan(5_000);
		expect(unique.result.ok).toBe(true);
	});

	it("takes 1 and '1' as the same key, as they are once loaded", () => {
		expect(parseTemplateYaml('1: a\n"1": b\n')).toEqual({
			ok: false,
			problems: [
				{ path: "", message: 'duplicate key "1" at line 2, column 1 (a key may appear once per mapping)' },
			],
		});
	});

	it("refuses more than MAX_YAML_ALIASES aliases before resolving them (a chain of 3,000 took seconds, 30,000 minutes)", () => {
		const chain = Array.from({ length: 30_000 }, (_, i) => `k${i}: &a${i} [*a${Math.max(0, i - 1)}]`).join(
			"\n",
		);
		const { result, ms } = elapsed(() => parseTemplateYaml(chain));
		expect(ms).toBeLessThan(5_000);
		expect(result).toEqual({
			ok: false,
			problems: [
				{
					path: "",
					message: `30000 YAML aliases (*name); at most ${MAX_YAML_ALIASES} are accepted in a template`,
				},
			],
		});
		// The library counts the anchor's own value as one use: 99 aliases of one anchor are the most it takes.
		const atTheLimit = `l: [&a x, ${Array(MAX_YAML_ALIASES - 1)
			.fill("*a")
			.join(", ")}]`;
		expect(parseTemplateYaml(atTheLimit).ok).toBe(true);
	});

	it("refuses a billion-laughs document (81 aliases standing for 9^9 values)", () => {
		let text = "a0: &a0 [lol]\n";
		for (let i = 1; i < 10; i++)
			text += `a${i}: &a${i} [${Array(9)
				.fill(`*a${i - 1}`)
				.join(", ")}]\n`;
		// Under the alias count, so the library's own guard (maxAliasCount, set explicitly) catches it.
		expect(parseTemplateYaml(text)).toEqual({
			ok: false,
			problems: [
				{ path: "", message: "YAML error: Excessive alias count indicates a resource exhaustion attack" },
			],
		});
	});

	it("says a document nests too deeply instead of passing on the parser's stack overflow", () => {
		const text = `steps: ${"[".repeat(5_000)}${"]".repeat(5_000)}`;
		// The parser's stack may run out before its own depth limit, depending on how much stack is in use
		// already (the files before this one, in a shared worker): said the same way, and once.
		const underStack = (frames: number): ReturnType<typeof parseTemplateYaml> =>
			frames === 0 ? parseTemplateYaml(text) : underStack(frames - 1);
		for (const result of [parseTemplateYaml(text), underStack(2_000)]) {
			if (result.ok) throw new Error("expected problems");
			expect(result.problems).toEqual([
				{
					path: "",
					message: expect.stringMatching(/^YAML nested too deeply at line 1, column \d+ \(at most 64 levels/),
				},
			]);
		}
		const deep = parseTemplateYaml(`metadata: ${"[".repeat(100)}${"]".repeat(100)}`);
		expect(deep).toEqual({
			ok: false,
			problems: [
				{ path: expect.stringMatching(/^metadata\[0\]\[0\]/), message: "nests more than 64 levels deep" },
			],
		});
	});
});

describe("formatProblem", () => {
	it("puts the file, the path and the message on one line", () => {
		const problem = { path: "steps[2].dependencies[0]", message: 'unknown step "reserve"' };
		expect(formatProblem("templates/x.yaml", problem)).toBe(
			'templates/x.yaml: steps[2].dependencies[0]: unknown step "reserve"',
		);
	});

	it("leaves out an empty path", () => {
		expect(formatProblem("templates/x.yaml", { path: "", message: "boom" })).toBe("templates/x.yaml: boom");
	});
});

describe("closestName", () => {
	it("prefers a name containing the target, then small edits, and gives up on far names", () => {
		expect(closestName("ValidateOrder", ["ReserveInventoryHandler", "ValidateOrderHandler"])).toBe(
			"ValidateOrderHandler",
		);
		expect(closestName("chrage_payment", ["charge_payment", "notify"])).toBe("charge_payment");
		expect(closestName("CHARGE", ["charge"])).toBe("charge");
		expect(closestName("qqq", ["charge", "notify"])).toBeNull();
	});
});
