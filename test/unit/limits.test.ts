// Every size and count limit of src/limits.ts at its edge: exactly the limit is accepted, one more is
// refused with a clear error naming the field and the limit, and a refused request reaches no task
// object (a recording stand-in counts every object it would have reached), so nothing changes.
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import {
	MAX_CALLABLE_LENGTH,
	MAX_HANDLER_INITIALIZATION_BYTES,
	MAX_IDEMPOTENCY_KEY_LENGTH,
	MAX_NAME_LENGTH,
	MAX_NAMESPACE_LENGTH,
	MAX_REQUEST_BODY_BYTES,
	MAX_STEPS_PER_TEMPLATE,
	MAX_TAGS,
	MAX_TASK_CONTEXT_BYTES,
	MAX_TEXT_FIELD_LENGTH,
} from "../../src/limits";
import { buildHandlerRegistry } from "../../src/registry/handler-registry";
import { TemplateRegistry } from "../../src/registry/template-registry";
import { validateTemplate } from "../../src/templates/validate-template";
import { dagTemplate } from "../support/template-builders";

/** A template whose name and namespace are exactly as long as allowed, so that those limits can be met. */
const LONG_NAME = `t${"x".repeat(MAX_NAME_LENGTH - 1)}`;
const LONG_NAMESPACE = `n${"x".repeat(MAX_NAMESPACE_LENGTH - 1)}`;
const templates = new TemplateRegistry([
	{ ...dagTemplate({ a: [] }, {}, "order_processing"), namespace: "default", version: "1.0.0" },
	{ ...dagTemplate({ a: [] }, {}, LONG_NAME), namespace: LONG_NAMESPACE, version: "1.0.0" },
]);
const app = createApp(templates, buildHandlerRegistry([]));

const TASK_UUID = "01a213c4-5220-71db-b60e-000000000001";
const STEP_UUID = "01a213c4-5220-71db-b60e-000000000002";

function recordingEnv() {
	const reached: unknown[] = [];
	const stub = {
		create: async (input: { taskUuid: string }) => {
			reached.push(input);
			return { task: { task_uuid: input.taskUuid, status: "enqueuing_steps" }, created: true };
		},
		actOnStep: async (_step: string, action: unknown) => {
			reached.push(action);
			return { kind: "conflict", message: "recorded" };
		},
	};
	const env = {
		TASKS: { idFromName: (name: string) => name, get: () => stub },
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

async function request(method: string, path: string, body: string, contentType = "application/json") {
	const { env, reached } = recordingEnv();
	const response = await app.request(path, { method, body, headers: { "content-type": contentType } }, env);
	const json = (await response.json()) as { error?: { code: string; message: string } };
	return { status: response.status, error: json.error, reached: reached.length };
}

const submit = (body: object) => request("POST", "/v1/tasks", JSON.stringify(body));
const bytes = (text: string) => new TextEncoder().encode(text).byteLength;

/** A JSON object whose serialisation is exactly `n` bytes: {"blob":"xxx…"}. */
function objectOfBytes(n: number): { blob: string } {
	return { blob: "x".repeat(n - bytes('{"blob":""}')) };
}

describe("POST /v1/tasks limits", () => {
	it(`context: ${MAX_TASK_CONTEXT_BYTES} bytes as JSON accepted, one more a 413 naming context`, async () => {
		const atLimit = objectOfBytes(MAX_TASK_CONTEXT_BYTES);
		expect(bytes(JSON.stringify(atLimit))).toBe(MAX_TASK_CONTEXT_BYTES);
		expect(await submit({ ...valid, context: atLimit })).toMatchObject({ status: 201, reached: 1 });
		const over = await submit({ ...valid, context: objectOfBytes(MAX_TASK_CONTEXT_BYTES + 1) });
		expect(over).toMatchObject({ status: 413, reached: 0, error: { code: "PAYLOAD_TOO_LARGE" } });
		expect(over.error?.message).toMatch(
			new RegExp(`context is ${MAX_TASK_CONTEXT_BYTES + 1} bytes .*limit is ${MAX_TASK_CONTEXT_BYTES}`),
		);
	});

	const lengths: Array<[string, number, (value: string) => object, RegExp]> = [
		["name", MAX_NAME_LENGTH, (v) => ({ ...valid, name: v }), /^name: /],
		["namespace", MAX_NAMESPACE_LENGTH, (v) => ({ ...valid, namespace: v }), /^namespace: /],
		["initiator", MAX_TEXT_FIELD_LENGTH, (v) => ({ ...valid, initiator: v }), /^initiator: /],
		["source_system", MAX_TEXT_FIELD_LENGTH, (v) => ({ ...valid, source_system: v }), /^source_system: /],
		["reason", MAX_TEXT_FIELD_LENGTH, (v) => ({ ...valid, reason: v }), /^reason: /],
		["correlation_id", MAX_TEXT_FIELD_LENGTH, (v) => ({ ...valid, correlation_id: v }), /^correlation_id: /],
		["a tag", MAX_TEXT_FIELD_LENGTH, (v) => ({ ...valid, tags: [v] }), /^tags\[0\]: /],
		[
			"idempotency_key",
			MAX_IDEMPOTENCY_KEY_LENGTH,
			(v) => ({ ...valid, idempotency_key: v }),
			/^idempotency_key: /,
		],
	];
	for (const [field, limit, body, named] of lengths) {
		it(`${field}: ${limit} characters accepted, ${limit + 1} a 400 naming it and its limit`, async () => {
			// The name and namespace at their limit name the registered long template, so they are found.
			const at = (v: string) =>
				field === "name"
					? { ...body(v), namespace: LONG_NAMESPACE }
					: field === "namespace"
						? { ...body(v), name: LONG_NAME }
						: body(v);
			const fill = (n: number) =>
				(field === "name" ? LONG_NAME : field === "namespace" ? LONG_NAMESPACE : "").padEnd(n, "x");
			expect(await submit(at(fill(limit)))).toMatchObject({ status: 201, reached: 1 });
			const over = await submit(at(fill(limit + 1)));
			expect(over).toMatchObject({ status: 400, reached: 0, error: { code: "BAD_REQUEST" } });
			expect(over.error?.message).toMatch(named);
			expect(over.error?.message).toContain(String(limit));
		});
	}

	it(`tags: ${MAX_TAGS} accepted, ${MAX_TAGS + 1} a 400 naming tags and the limit`, async () => {
		const tags = (n: number) => Array.from({ length: n }, (_, i) => `tag-${i}`);
		expect(await submit({ ...valid, tags: tags(MAX_TAGS) })).toMatchObject({ status: 201, reached: 1 });
		const over = await submit({ ...valid, tags: tags(MAX_TAGS + 1) });
		expect(over).toMatchObject({ status: 400, reached: 0 });
		expect(over.error?.message).toMatch(new RegExp(`^tags: .*at most ${MAX_TAGS} tags`));
	});
});

describe("request body limit", () => {
	const yamlOfBytes = (n: number) => {
		const head =
			"name: t\nnamespace_name: n\nversion: 1.0.0\nsteps:\n  - name: a\n    handler: { callable: A }\n# ";
		return head + "x".repeat(n - bytes(head));
	};

	it(`POST /v1/templates/validate: a body of ${MAX_REQUEST_BODY_BYTES} bytes is read, one more a 413`, async () => {
		const at = await request(
			"POST",
			"/v1/templates/validate",
			yamlOfBytes(MAX_REQUEST_BODY_BYTES),
			"text/yaml",
		);
		expect(at.status).toBe(200);
		const over = await request(
			"POST",
			"/v1/templates/validate",
			yamlOfBytes(MAX_REQUEST_BODY_BYTES + 1),
			"text/yaml",
		);
		expect(over).toMatchObject({ status: 413, error: { code: "PAYLOAD_TOO_LARGE" } });
		expect(over.error?.message).toContain(String(MAX_REQUEST_BODY_BYTES));
	});

	it("PATCH complete_manually: completion_data is bounded by the body limit, and one byte over reaches nothing", async () => {
		const path = `/v1/tasks/${TASK_UUID}/workflow_steps/${STEP_UUID}`;
		const action = (result: string) =>
			JSON.stringify({
				action_type: "complete_manually",
				completion_data: { result },
				reason: "r",
				completed_by: "ops",
			});
		const overhead = bytes(action(""));
		const at = await request("PATCH", path, action("x".repeat(MAX_REQUEST_BODY_BYTES - overhead)));
		// Read whole and handed to the task object (whose stand-in answers a 409).
		expect(at).toMatchObject({ status: 409, reached: 1 });
		const over = await request("PATCH", path, action("x".repeat(MAX_REQUEST_BODY_BYTES - overhead + 1)));
		expect(over).toMatchObject({ status: 413, reached: 0, error: { code: "PAYLOAD_TOO_LARGE" } });
	});
});

describe("template limits", () => {
	const template = (steps: object[]) => ({ name: "t", namespace_name: "n", version: "1.0.0", steps });
	const step = (name: string, extra: object = {}) => ({ name, handler: { callable: "A" }, ...extra });
	const problems = (input: unknown) => {
		const result = validateTemplate(input);
		return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
	};

	it(`steps: ${MAX_STEPS_PER_TEMPLATE} accepted, one more refused naming the limit`, () => {
		const steps = (n: number) => Array.from({ length: n }, (_, i) => step(`s${i}`));
		expect(problems(template(steps(MAX_STEPS_PER_TEMPLATE)))).toEqual([]);
		expect(problems(template(steps(MAX_STEPS_PER_TEMPLATE + 1))).join("\n")).toMatch(
			new RegExp(`^steps: .*1 to ${MAX_STEPS_PER_TEMPLATE} steps`),
		);
	});

	it(`step and template names: ${MAX_NAME_LENGTH} characters accepted, one more refused`, () => {
		const name = (n: number) => `s${"x".repeat(n - 1)}`;
		expect(problems(template([step(name(MAX_NAME_LENGTH))]))).toEqual([]);
		expect(problems(template([step(name(MAX_NAME_LENGTH + 1))])).join("\n")).toMatch(/^steps\[0\]\.name: /);
		expect(problems({ ...template([step("a")]), name: name(MAX_NAME_LENGTH) })).toEqual([]);
		expect(problems({ ...template([step("a")]), name: name(MAX_NAME_LENGTH + 1) }).join("\n")).toMatch(
			/^name: /,
		);
	});

	it(`namespace_name: ${MAX_NAMESPACE_LENGTH} characters accepted, one more refused`, () => {
		const ns = (n: number) => "n".repeat(n);
		expect(problems({ ...template([step("a")]), namespace_name: ns(MAX_NAMESPACE_LENGTH) })).toEqual([]);
		expect(
			problems({ ...template([step("a")]), namespace_name: ns(MAX_NAMESPACE_LENGTH + 1) }).join("\n"),
		).toMatch(/^namespace_name: /);
	});

	it(`handler.callable: ${MAX_CALLABLE_LENGTH} characters accepted, one more refused naming the limit`, () => {
		const callable = (n: number) => ({ name: "a", handler: { callable: "A".repeat(n) } });
		expect(problems(template([callable(MAX_CALLABLE_LENGTH)]))).toEqual([]);
		expect(problems(template([callable(MAX_CALLABLE_LENGTH + 1)])).join("\n")).toMatch(
			new RegExp(`^steps\\[0\\]\\.handler\\.callable: .*1 to ${MAX_CALLABLE_LENGTH} characters`),
		);
	});

	it(`handler.initialization: ${MAX_HANDLER_INITIALIZATION_BYTES} bytes as JSON accepted, one more refused naming size and limit`, () => {
		const init = (n: number) => ({ name: "a", handler: { callable: "A", initialization: objectOfBytes(n) } });
		expect(problems(template([init(MAX_HANDLER_INITIALIZATION_BYTES)]))).toEqual([]);
		const refused = problems(template([init(MAX_HANDLER_INITIALIZATION_BYTES + 1)]));
		expect(refused).toEqual([
			`steps[0].handler.initialization: ${MAX_HANDLER_INITIALIZATION_BYTES + 1} bytes as JSON; the limit is ${MAX_HANDLER_INITIALIZATION_BYTES} bytes (MAX_HANDLER_INITIALIZATION_BYTES): keep large data elsewhere and put a reference here`,
		]);
	});

	it("dependencies: bounded by the template's steps (each a step name, listed once)", () => {
		const refused = problems(template([step("a"), step("b", { dependencies: ["a", "a"] })]));
		expect(refused.join("\n")).toMatch(/"a" is listed twice/);
	});
});
