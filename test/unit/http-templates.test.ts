// The template routes in-process (app.request): the catalogue, one template, and validation of YAML that
// reports exactly what `npm run validate` prints for the same file.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../scripts/lib/load-project";
import { handlerModules, templates as seedTemplates } from "../../src/generated/registry";
import { createApp } from "../../src/http/app";
import { MAX_REQUEST_BODY_BYTES } from "../../src/limits";
import { buildHandlerRegistry } from "../../src/registry/handler-registry";
import { TemplateRegistry } from "../../src/registry/template-registry";
import { formatProblem, type TemplateProblem } from "../../src/templates/validate-template";
import { dagTemplate } from "../support/template-builders";

type Json = Record<string, unknown>;
type ErrorBody = { error: { code: string; message: string } };

const version = (template: ReturnType<typeof dagTemplate>, namespace: string, v: string) => ({
	...template,
	namespace,
	version: v,
});
const catalogue = new TemplateRegistry([
	version(dagTemplate({ a: [] }, {}, "order_processing"), "default", "1.0.0"),
	version(dagTemplate({ a: [], b: ["a"] }, {}, "order_processing"), "default", "1.2.0"),
	version(dagTemplate({ a: [] }, {}, "order_processing"), "default", "2.0.0-beta.1"),
	{
		...version(
			dagTemplate({ draft: [], send: ["draft"] }, { maxAttempts: 5 }, "invoice"),
			"billing",
			"1.0.0",
		),
		description: "Bill a customer",
	},
]);
const handlers = buildHandlerRegistry(handlerModules);
const app = createApp(catalogue, handlers);
const seedApp = createApp(new TemplateRegistry(seedTemplates), handlers);

async function call(path: string, init: RequestInit = {}, on = app) {
	const response = await on.request(path, init);
	return { status: response.status, body: (await response.json()) as Json & ErrorBody };
}

describe("GET /v1/templates", () => {
	it("lists every namespace and every version of every template", async () => {
		const { status, body } = await call("/v1/templates");
		expect(status).toBe(200);
		expect(body).toEqual({
			namespaces: [
				{ name: "billing", description: null, template_count: 1 },
				{ name: "default", description: null, template_count: 3 },
			],
			templates: [
				{
					name: "invoice",
					namespace: "billing",
					version: "1.0.0",
					description: "Bill a customer",
					step_count: 2,
				},
				{
					name: "order_processing",
					namespace: "default",
					version: "1.0.0",
					description: null,
					step_count: 1,
				},
				{
					name: "order_processing",
					namespace: "default",
					version: "1.2.0",
					description: null,
					step_count: 2,
				},
				{
					name: "order_processing",
					namespace: "default",
					version: "2.0.0-beta.1",
					description: null,
					step_count: 1,
				},
			],
			total_count: 4,
		});
	});

	it("?namespace= narrows the namespaces, the templates and the count to that namespace", async () => {
		const { status, body } = await call("/v1/templates?namespace=billing");
		expect(status).toBe(200);
		expect(body.namespaces).toEqual([{ name: "billing", description: null, template_count: 1 }]);
		expect(body.templates).toEqual([expect.objectContaining({ name: "invoice", namespace: "billing" })]);
		expect(body.total_count).toBe(1);
	});

	it("an empty registry lists nothing", async () => {
		const empty = createApp(new TemplateRegistry([]), handlers);
		expect((await call("/v1/templates", {}, empty)).body).toEqual({
			namespaces: [],
			templates: [],
			total_count: 0,
		});
	});

	const errors: Array<[string, string, number, string]> = [
		["an unknown namespace", "?namespace=shop", 404, 'no namespace "shop" (namespaces: billing, default)'],
		[
			"a malformed namespace",
			"?namespace=Bad-NS",
			400,
			'namespace: expected a namespace matching ^[a-z0-9_]+$ (at most 29 characters), got "Bad-NS"',
		],
		[
			"an empty namespace",
			"?namespace=",
			400,
			'namespace: expected a namespace matching ^[a-z0-9_]+$ (at most 29 characters), got ""',
		],
		[
			"a repeated namespace",
			"?namespace=billing&namespace=default",
			400,
			"namespace: expected one value, got 2",
		],
		[
			"a misspelt parameter",
			"?namspace=billing",
			400,
			'unknown query parameter "namspace" (expected: namespace)',
		],
	];
	for (const [what, query, status, message] of errors) {
		it(`${what} is a ${status} that says what is expected`, async () => {
			const result = await call(`/v1/templates${query}`);
			expect(result.status).toBe(status);
			expect(result.body).toEqual({
				error: { code: status === 404 ? "NOT_FOUND" : "BAD_REQUEST", message },
			});
		});
	}
});

describe("GET /v1/templates/{namespace}/{name}/{version}", () => {
	it("answers the template in full, in snake_case", async () => {
		const { status, body } = await call("/v1/templates/billing/invoice/1.0.0");
		expect(status).toBe(200);
		const retry = {
			retryable: true,
			max_attempts: 5,
			backoff: "exponential",
			backoff_base_ms: 1000,
			max_backoff_ms: 30000,
		};
		expect(body).toEqual({
			name: "invoice",
			namespace: "billing",
			version: "1.0.0",
			description: "Bill a customer",
			environment: "development",
			metadata: null,
			system_dependencies: null,
			domain_events: [],
			input_schema: null,
			schedules: [],
			environments: null,
			steps: [
				{
					name: "draft",
					description: null,
					handler: { callable: "Handler_draft", initialization: {}, method: null, resolver: null },
					dependencies: [],
					retry,
					timeout_seconds: 30,
					system_dependency: null,
					result_schema: null,
					publishes_events: [],
					composition: null,
					type: "standard",
				},
				{
					name: "send",
					description: null,
					handler: { callable: "Handler_send", initialization: {}, method: null, resolver: null },
					dependencies: ["draft"],
					retry,
					timeout_seconds: 30,
					system_dependency: null,
					result_schema: null,
					publishes_events: [],
					composition: null,
					type: "standard",
				},
			],
		});
	});

	it("an exact version, prereleases included", async () => {
		const { body } = await call("/v1/templates/default/order_processing/2.0.0-beta.1");
		expect(body.version).toBe("2.0.0-beta.1");
	});

	it('"latest" is the newest release, as for a task request without a version', async () => {
		const { status, body } = await call("/v1/templates/default/order_processing/latest");
		expect(status).toBe(200);
		expect(body.version).toBe("1.2.0");
	});

	const errors: Array<[string, string, number, string]> = [
		[
			"an unknown namespace",
			"shop/order_processing/1.0.0",
			404,
			'no namespace "shop" (namespaces: billing, default)',
		],
		[
			"an unknown name",
			"default/order_processin/1.0.0",
			404,
			'no task template "order_processin" in namespace "default" (templates there: order_processing)',
		],
		[
			"an unknown version",
			"default/order_processing/3.0.0",
			404,
			"task template default/order_processing has no version 3.0.0 (versions: 1.0.0, 1.2.0, 2.0.0-beta.1)",
		],
		[
			"an unknown name with latest",
			"billing/refund/latest",
			404,
			'no task template "refund" in namespace "billing" (templates there: invoice)',
		],
		[
			"a malformed version",
			"default/order_processing/1.0",
			400,
			'version: expected "latest" or a semver version such as 1.0.0, got "1.0"',
		],
		[
			"a non-canonical version",
			"default/order_processing/v1.0.0",
			400,
			'version: expected "latest" or a semver version such as 1.0.0, got "v1.0.0" (did you mean "1.0.0"?)',
		],
		[
			"a malformed name",
			"default/Order-Processing/1.0.0",
			400,
			'name: expected a template name matching ^[a-z][a-z0-9_]*$ (at most 128 characters), got "Order-Processing"',
		],
		[
			"a malformed namespace",
			"Default/order_processing/1.0.0",
			400,
			'namespace: expected a namespace matching ^[a-z0-9_]+$ (at most 29 characters), got "Default"',
		],
	];
	for (const [what, route, status, message] of errors) {
		it(`${what} is a ${status} with a precise message`, async () => {
			const result = await call(`/v1/templates/${route}`);
			expect(result.status).toBe(status);
			expect(result.body).toEqual({
				error: { code: status === 404 ? "NOT_FOUND" : "BAD_REQUEST", message },
			});
		});
	}
});

const SEED_YAML = readFileSync(path.join(PROJECT_ROOT, "templates", "order_processing.yaml"), "utf8");

function validate(body: string, contentType: string | null = "text/yaml") {
	const headers: Record<string, string> = contentType === null ? {} : { "content-type": contentType };
	return call("/v1/templates/validate", { method: "POST", body, headers }, seedApp);
}

describe("POST /v1/templates/validate: a valid template", () => {
	it("is 200 {valid: true} with the template as GET /v1/templates/... would show it", async () => {
		const { status, body } = await validate(SEED_YAML);
		expect(status).toBe(200);
		const served = await call("/v1/templates/default/order_processing/1.0.0", {}, seedApp);
		expect(body).toEqual({ valid: true, template: served.body });
	});

	for (const contentType of [
		"application/yaml",
		"text/plain",
		"text/plain;charset=UTF-8",
		"Text/YAML; charset=utf-8",
		null,
	]) {
		it(`is read as YAML with content-type ${contentType ?? "(none)"}`, async () => {
			const { status, body } = await validate(SEED_YAML, contentType);
			expect(status).toBe(200);
			expect(body.valid).toBe(true);
		});
	}

	it('is read from JSON {"yaml": "..."}', async () => {
		const { status, body } = await validate(JSON.stringify({ yaml: SEED_YAML }), "application/json");
		expect(status).toBe(200);
		expect(body.valid).toBe(true);
	});
});

describe("POST /v1/templates/validate: a namespace routed to another Worker", () => {
	const BILLING_YAML = readFileSync(
		path.join(PROJECT_ROOT, "examples", "billing-worker", "templates", "invoice_order.yaml"),
		"utf8",
	);
	const routedEnv = {
		STEP_QUEUE: { send: async () => {}, sendBatch: async () => {} },
		STEP_QUEUE_BILLING: { send: async () => {}, sendBatch: async () => {} },
		NAMESPACE_QUEUES: { billing: "STEP_QUEUE_BILLING" },
	};
	const post = async (env?: object) => {
		const init = { method: "POST", body: BILLING_YAML, headers: { "content-type": "text/yaml" } };
		const response = await seedApp.request("/v1/templates/validate", init, env);
		return (await response.json()) as Json;
	};

	it("is valid without its handlers here, as `npm run validate` says, when its namespace is routed", async () => {
		expect(await post(routedEnv)).toMatchObject({ valid: true, template: { namespace: "billing" } });
	});

	it("is checked against this Worker's handlers when it is not routed", async () => {
		const body = await post();
		expect(body.valid).toBe(false);
		expect(body.problems).toContainEqual({
			path: "steps[0].handler.callable",
			message: 'no registered handler "PriceLinesHandler"',
		});
	});
});

// Broken variants of the seed: one kind of problem each, then two in one file (a bad value, a reference-only key).
const BROKEN: Record<string, string> = {
	"unknown_key.yaml": SEED_YAML.replace("    dependencies: []", "    dependencies: []\n    retries: 3"),
	"unknown_dependency.yaml": SEED_YAML.replace("      - reserve_inventory", "      - reserve_inventry"),
	"cycle.yaml": SEED_YAML.replace("    dependencies: []", "    dependencies: [charge_payment]"),
	"unregistered_handler.yaml": SEED_YAML.replace("ChargePaymentHandler", "ChargePaymentHandlr"),
	"yaml_syntax.yaml": SEED_YAML.replace("version: 1.0.0", "version: [1.0.0"),
	"several.yaml": SEED_YAML.replace("namespace_name: default", "namespace_name: Default\nlifecycle: {}"),
};

describe("POST /v1/templates/validate: a template with problems", () => {
	const dir = mkdtempSync(path.join(tmpdir(), "tasker-validate-"));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	for (const [file, text] of Object.entries(BROKEN)) writeFileSync(path.join(dir, file), text);

	// The real `npm run validate` (scripts/validate-templates.ts with the real handlers), on these files.
	const cli = spawnSync(
		process.execPath,
		[
			path.join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs"),
			path.join(PROJECT_ROOT, "scripts", "validate-templates.ts"),
			"--templates",
			dir,
		],
		{ cwd: PROJECT_ROOT, encoding: "utf8" },
	);
	const cliLines = cli.stderr.trim().split("\n");
	const relative = (file: string) =>
		path.relative(PROJECT_ROOT, path.join(dir, file)).split(path.sep).join("/");

	it("the CLI itself found problems in every file (the comparison below means something)", () => {
		expect(cli.status).toBe(1);
		expect(cliLines.at(-1)).toBe(
			`${cliLines.length - 1} problem(s) in ${Object.keys(BROKEN).length} file(s)`,
		);
	});

	for (const [file, text] of Object.entries(BROKEN)) {
		it(`${file}: 200 {valid: false} with exactly the problems npm run validate prints`, async () => {
			const { status, body } = await validate(text);
			expect(status).toBe(200);
			expect(body.valid).toBe(false);
			const problems = body.problems as TemplateProblem[];
			expect(problems.length).toBeGreaterThan(0);
			for (const problem of problems) expect(Object.keys(problem)).toEqual(["path", "message"]);
			const printed = cliLines.filter((line) => line.startsWith(`${relative(file)}: `));
			expect(problems.map((p) => formatProblem(relative(file), p))).toEqual(printed);
		});
	}

	it("the problems are the precise ones: unknown key, dependency with suggestion, cycle, handler", async () => {
		const problemsOf = async (file: string) => (await validate(BROKEN[file] as string)).body.problems;
		expect(await problemsOf("unknown_key.yaml")).toEqual([
			{ path: "steps[0]", message: expect.stringMatching(/^unknown key "retries" \(expected one of: name,/) },
		]);
		expect(await problemsOf("unknown_dependency.yaml")).toEqual([
			{
				path: "steps[3].dependencies[0]",
				message: 'unknown step "reserve_inventry" (did you mean "reserve_inventory"?)',
			},
		]);
		expect(await problemsOf("cycle.yaml")).toEqual([
			{
				path: "steps",
				message:
					"dependency cycle: validate_order → charge_payment → reserve_inventory → validate_order (each step depends on the next)",
			},
		]);
		expect(await problemsOf("unregistered_handler.yaml")).toEqual([
			{
				path: "steps[3].handler.callable",
				message: 'no registered handler "ChargePaymentHandlr" (did you mean "ChargePaymentHandler"?)',
			},
		]);
	});
});

describe("POST /v1/templates/validate: an unusable request", () => {
	const errors: Array<[string, string, string | null, RegExp]> = [
		["an empty body", "", "text/yaml", /^the request body is empty: expected a task template as YAML text$/],
		["a blank body", "  \n\t", "text/yaml", /^the request body is empty/],
		["an empty body without content-type", "", null, /^the request body is empty/],
		["an empty JSON body", "", "application/json", /^the request body is empty: expected a JSON object$/],
		["malformed JSON", '{"yaml": ', "application/json", /^the request body is not valid JSON/],
		[
			"JSON without yaml",
			"{}",
			"application/json",
			/^yaml: required but missing: expected the task template as YAML text$/,
		],
		[
			"JSON with an empty yaml",
			'{"yaml": " "}',
			"application/json",
			/^yaml: expected the task template as YAML text, got " "$/,
		],
		[
			"JSON with a mistyped yaml",
			'{"yaml": {"name": "x"}}',
			"application/json",
			/^yaml: expected the task template as YAML text, got a mapping$/,
		],
		[
			"JSON with an unknown key",
			'{"yaml": "x", "yml": "y"}',
			"application/json",
			/^unknown key "yml" \(expected one of: yaml; did you mean "yaml"\?\)$/,
		],
		[
			"an unsupported content type",
			"name: x",
			"application/x-www-form-urlencoded",
			/^content-type: expected application\/yaml, text\/yaml, text\/plain, .* or application\/json \({"yaml": "..."}\), got "application\/x-www-form-urlencoded"$/,
		],
	];
	for (const [what, body, contentType, message] of errors) {
		it(`${what} is a 400 BAD_REQUEST`, async () => {
			const result = await validate(body, contentType);
			expect(result.status).toBe(400);
			expect(result.body.error.code).toBe("BAD_REQUEST");
			expect(result.body.error.message).toMatch(message);
		});
	}

	it("a body over the request limit is a 413, with or without content-length", async () => {
		const big = `# ${"x".repeat(MAX_REQUEST_BODY_BYTES)}\n${SEED_YAML}`;
		const variants: Array<Record<string, string>> = [
			{ "content-type": "text/yaml" },
			{ "content-type": "text/yaml", "content-length": String(big.length) },
		];
		for (const headers of variants) {
			const result = await call("/v1/templates/validate", { method: "POST", body: big, headers }, seedApp);
			expect(result.status).toBe(413);
			expect(result.body.error).toEqual({
				code: "PAYLOAD_TOO_LARGE",
				message: `the request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`,
			});
		}
	});

	it("GET /v1/templates/validate is no route (validation is a POST)", async () => {
		const result = await call("/v1/templates/validate");
		expect(result.status).toBe(404);
		expect(result.body.error.message).toBe("no route GET /v1/templates/validate");
	});
});

// Found by fuzzing (template-fuzz.test.ts): the template loaded, valid, as a value containing itself,
// and answering it as JSON threw, a 500.
describe("POST /v1/templates/validate: an alias inside its own anchor", () => {
	it("is a 200 with the problem, not a 500", async () => {
		const text = SEED_YAML.replace(
			"callable: ValidateOrderHandler",
			"callable: ValidateOrderHandler\n      initialization: &i {again: *i}",
		);
		expect(text).not.toBe(SEED_YAML);
		const { status, body } = await validate(text);
		expect(status).toBe(200);
		expect(body).toEqual({
			valid: false,
			problems: [
				{
					path: "steps[0].handler.initialization.again",
					message: "contains itself (a YAML alias inside its own anchor); a template must be plain data",
				},
			],
		});
	});
});
