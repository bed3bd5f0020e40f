// The HTTP layer in-process (app.request), with a recording stand-in for the task objects: every bad
// request gets a precise 4xx and never reaches a task object, so it cannot change anything.
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { MAX_NESTING_DEPTH, MAX_REQUEST_BODY_BYTES, MAX_TASK_CONTEXT_BYTES } from "../../src/limits";
import { buildHandlerRegistry } from "../../src/registry/handler-registry";
import { TemplateRegistry } from "../../src/registry/template-registry";
import { dagTemplate } from "../support/template-builders";

const templates = new TemplateRegistry([
	{ ...dagTemplate({ a: [] }, {}, "order_processing"), namespace: "default", version: "1.0.0" },
	{ ...dagTemplate({ a: [] }, {}, "order_processing"), namespace: "default", version: "1.2.0" },
]);

function recordingEnv() {
	const reached: string[] = [];
	const stub = {
		create: async (input: { taskUuid: string }) => ({
			task: { task_uuid: input.taskUuid, status: "enqueuing_steps" },
			created: true,
		}),
		getTask: async () => null,
		listSteps: async () => null,
		getStep: async () => undefined,
		getStepAudit: async () => undefined,
		getTaskAudit: async () => null,
	};
	const env = {
		TASKS: {
			idFromName: (name: string) => {
				reached.push(name);
				return name;
			},
			get: () => stub,
		},
	} as unknown as Env;
	return { env, reached };
}

const valid = {
	name: "order_processing",
	context: { order_id: "o-1" },
	initiator: "api:checkout",
	source_system: "web",
	reason: "New order",
};

async function post(body: string | object, env = recordingEnv()) {
	const app = createApp(templates, buildHandlerRegistry([]));
	const response = await app.request(
		"/v1/tasks",
		{ method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) },
		env.env,
	);
	return {
		response,
		body: (await response.json()) as { error?: { code: string; message: string } },
		reached: env.reached,
	};
}

describe("POST /v1/tasks: bad input is a clear 4xx and reaches no task object", () => {
	const cases: Array<[string, string | object, number, string, RegExp]> = [
		["malformed JSON", '{"name": ', 400, "BAD_REQUEST", /not valid JSON/],
		["an empty body", "", 400, "BAD_REQUEST", /body is empty/],
		[
			"a JSON array",
			"[]",
			400,
			"BAD_REQUEST",
			/expected a JSON object \(the task request\), got an empty list/,
		],
		["a missing name", { ...valid, name: undefined }, 400, "BAD_REQUEST", /^name: required but missing/],
		[
			"a mistyped context",
			{ ...valid, context: "x" },
			400,
			"BAD_REQUEST",
			/^context: expected a JSON object.*got "x"/,
		],
		[
			"a mistyped initiator",
			{ ...valid, initiator: 7 },
			400,
			"BAD_REQUEST",
			/^initiator: expected a string.*got 7/,
		],
		[
			"a priority out of range",
			{ ...valid, priority: 101 },
			400,
			"BAD_REQUEST",
			/^priority: expected an integer from -100 to 100, got 101/,
		],
		[
			"an unknown field",
			{ ...valid, contxt: {} },
			400,
			"BAD_REQUEST",
			/unknown key "contxt" \(expected one of: name, namespace/,
		],
		[
			"an unknown template",
			{ ...valid, name: "order_processin" },
			404,
			"NOT_FOUND",
			/no task template "order_processin" in namespace "default" \(templates there: order_processing\)/,
		],
		["an unknown namespace", { ...valid, namespace: "shop" }, 404, "NOT_FOUND", /namespace "shop"/],
		[
			"an unknown version",
			{ ...valid, version: "2.0.0" },
			404,
			"NOT_FOUND",
			/has no version 2\.0\.0 \(versions: 1\.0\.0, 1\.2\.0\)/,
		],
	];
	for (const [what, body, status, code, message] of cases) {
		it(`${what} → ${status} ${code}`, async () => {
			const result = await post(body);
			expect(result.response.status).toBe(status);
			expect(result.body.error?.code).toBe(code);
			expect(result.body.error?.message).toMatch(message);
			expect(result.reached).toEqual([]);
		});
	}

	it("every problem of a request is reported at once", async () => {
		const { body } = await post({ name: "order_processing", context: [], priority: "high" });
		expect(body.error?.message.split("; ").map((p) => p.split(":")[0])).toEqual([
			"context",
			"initiator",
			"source_system",
			"reason",
			"priority",
		]);
	});

	it("an oversized body is a 413, however it is sent", async () => {
		const big = { ...valid, context: { blob: "x".repeat(MAX_REQUEST_BODY_BYTES) } };
		const result = await post(big);
		expect(result.response.status).toBe(413);
		expect(result.body.error).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
		expect(result.body.error?.message).toContain(String(MAX_REQUEST_BODY_BYTES));
		expect(result.reached).toEqual([]);
	});

	it("a context over its own limit is a 413 naming context", async () => {
		const result = await post({ ...valid, context: { blob: "x".repeat(MAX_TASK_CONTEXT_BYTES) } });
		expect(result.response.status).toBe(413);
		expect(result.body.error?.message).toMatch(/^context is \d+ bytes as JSON; the limit is 524288/);
		expect(result.reached).toEqual([]);
	});

	// Found by the fuzzer (http-fuzz.test.ts): JSON.parse reads any depth, but JSON.stringify of the
	// context overflowed the stack, a 500.
	it("a context nested deeper than the limit is a 400 naming the limit, not a 500", async () => {
		for (const depth of [MAX_NESTING_DEPTH + 1, 20_000]) {
			const deep = `${"[".repeat(depth)}${"]".repeat(depth)}`;
			const text = JSON.stringify({ ...valid, context: { blob: "@" } }).replace('"@"', deep);
			const result = await post(text);
			expect(result.response.status, String(depth)).toBe(400);
			expect(result.body.error?.message).toBe(
				`the request body nests arrays and objects more than ${MAX_NESTING_DEPTH} levels deep (at context.blob[0][0][0][0]…)`,
			);
			expect(result.reached).toEqual([]);
		}
		const atTheLimit = JSON.stringify({ ...valid, context: { blob: "@" } }).replace(
			'"@"',
			`${"[".repeat(MAX_NESTING_DEPTH - 2)}${"]".repeat(MAX_NESTING_DEPTH - 2)}`,
		);
		expect((await post(atTheLimit)).response.status).toBe(201);
	});

	// Found by probing a real server: 1e999 read as Infinity, passed a `type: number` input_schema, and was
	// stored as null; a "__proto__" key was dropped, and its task then counted as another's duplicate.
	it("a number JSON cannot carry back, or a __proto__ key, is a 400 naming where, before any object", async () => {
		const withContext = (context: string) =>
			JSON.stringify({ ...valid, context: { slot: "@" } }).replace('"@"', context);
		const tooBig = await post(withContext('{"lines": [{"amount": 1}, {"amount": -1e999}]}'));
		expect(tooBig.response.status).toBe(400);
		expect(tooBig.body.error?.message).toBe(
			"context.slot.lines[1].amount: a number beyond ±1.8e308 (it reads as Infinity): expected a finite number",
		);
		expect(tooBig.reached).toEqual([]);
		const proto = await post(withContext('{"__proto__": {"admin": true}, "q": 1}'));
		expect(proto.response.status).toBe(400);
		expect(proto.body.error?.message).toBe(
			'context.slot.__proto__: the key "__proto__" is not accepted (JavaScript objects drop it); rename it',
		);
		expect(proto.reached).toEqual([]);
		// The largest double, and a string holding the words, are fine.
		expect(
			(await post(withContext('{"max": 1.7976931348623157e308, "text": "__proto__ 1e999"}'))).response.status,
		).toBe(201);
	});

	it("a valid request creates one task object, named by the uuid its identity derives, and answers 201", async () => {
		const result = await post(valid);
		expect(result.response.status).toBe(201);
		expect(result.reached).toHaveLength(1);
		// order_processing deduplicates (identity_strategy strict): a UUIDv8 from the identity's hash.
		expect(result.reached[0]).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		expect(result.response.headers.get("location")).toBe(`/v1/tasks/${result.reached[0]}`);
	});

	it("without a version, or with `latest` (as the templates route takes it), the newest version is used", async () => {
		for (const body of [valid, { ...valid, version: "latest" }]) {
			const env = recordingEnv();
			let version = "";
			(env.env.TASKS as unknown as { get: () => unknown }).get = () => ({
				create: async (input: { template: { version: string } }) => {
					version = input.template.version;
					return { task: {} };
				},
			});
			await post(body, env);
			expect(version).toBe("1.2.0");
		}
	});
});

describe("reads", () => {
	const app = createApp(templates, buildHandlerRegistry([]));
	const get = async (path: string) => {
		const env = recordingEnv();
		const response = await app.request(path, {}, env.env);
		return {
			status: response.status,
			body: (await response.json()) as { error: { code: string; message: string } },
			reached: env.reached,
		};
	};
	const uuid = "01a213c4-5220-71db-b60e-dfdf890e581a";

	it("a malformed task uuid is a 400 that never reaches an object", async () => {
		const result = await get("/v1/tasks/not-a-uuid");
		expect(result.status).toBe(400);
		expect(result.body.error.message).toBe(
			'task_uuid: expected a UUID such as 019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b, got "not-a-uuid"',
		);
		expect(result.reached).toEqual([]);
	});

	it("an unknown task is a 404 naming it, on every read route", async () => {
		for (const path of [
			`/v1/tasks/${uuid}`,
			`/v1/tasks/${uuid}/workflow_steps`,
			`/v1/tasks/${uuid}/workflow_steps/${uuid}`,
			`/v1/tasks/${uuid}/workflow_steps/${uuid}/audit`,
			`/v1/tasks/${uuid}/audit`,
		]) {
			const result = await get(path);
			expect(result.status, path).toBe(404);
			expect(result.body.error).toEqual({ code: "NOT_FOUND", message: `no task with task_uuid ${uuid}` });
		}
	});

	it("an unknown route is a 404 in the same envelope", async () => {
		const result = await get("/v2/nothing");
		expect(result.status).toBe(404);
		expect(result.body.error).toEqual({ code: "NOT_FOUND", message: "no route GET /v2/nothing" });
	});

	it("a failure inside is a 500 naming a request id, with no stack trace", async () => {
		const env = recordingEnv();
		(env.env.TASKS as unknown as { get: () => unknown }).get = () => ({
			getTask: async () => {
				throw new Error("secret internal detail");
			},
		});
		const response = await app.request(`/v1/tasks/${uuid}`, {}, env.env);
		const body = (await response.json()) as { error: { code: string; message: string } };
		expect(response.status).toBe(500);
		expect(body.error.code).toBe("INTERNAL_ERROR");
		expect(body.error.message).toMatch(/^internal error \(request id [0-9a-f-]{36}\)$/);
		expect(body.error.message).toContain(response.headers.get("x-request-id") ?? "missing");
		expect(JSON.stringify(body)).not.toContain("secret");
	});

	it("GET /health answers healthy", async () => {
		const response = await app.request("/health", {}, recordingEnv().env);
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ status: "healthy" });
	});
});
