// The OpenAPI document in-process (app.request): every route the app serves is in it with its method, each
// operation declares its success and its error envelope, every $ref resolves, and Swagger UI is served.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { detailedHealthSchema, healthSchema } from "../../src/http/health-response-schemas";
import { buildHandlerRegistry } from "../../src/registry/handler-registry";
import { TemplateRegistry } from "../../src/registry/template-registry";
import { dagTemplate } from "../support/template-builders";

const packageVersion = (
	JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

type Operation = {
	parameters?: Array<{ name: string; in: string; required?: boolean }>;
	requestBody?: { content: Record<string, unknown> };
	responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
};
type Document = {
	openapi: string;
	info: { title: string; version: string };
	paths: Record<string, Record<string, Operation>>;
	components: { schemas: Record<string, unknown> };
};

const app = createApp(
	new TemplateRegistry([{ ...dagTemplate({ a: [] }, {}, "order_processing"), namespace: "default" }]),
	buildHandlerRegistry([]),
);

async function spec(): Promise<Document> {
	const response = await app.request("/api-docs/openapi.json");
	expect(response.status).toBe(200);
	expect(response.headers.get("content-type")).toMatch(/^application\/json/);
	return (await response.json()) as Document;
}

/** Every method and path the app routes, as OpenAPI spells them; middleware and the docs themselves left out. */
function servedOperations(): string[] {
	const operations = app.routes
		// The API docs and the dashboard's pages are not operations of the API.
		.filter(
			(route) =>
				route.method !== "ALL" && !route.path.startsWith("/api-docs") && !route.path.startsWith("/ui"),
		)
		.map((route) => `${route.method} ${route.path.replace(/:([^/]+)/g, "{$1}")}`);
	return [...new Set(operations)].sort();
}

function documentedOperations(doc: Document): string[] {
	return Object.entries(doc.paths)
		.flatMap(([path, operations]) =>
			Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
		)
		.sort();
}

function refsIn(value: unknown): string[] {
	if (Array.isArray(value)) return value.flatMap(refsIn);
	if (value === null || typeof value !== "object") return [];
	return Object.entries(value).flatMap(([key, v]) =>
		key === "$ref" && typeof v === "string" ? [v] : refsIn(v),
	);
}

describe("GET /api-docs/openapi.json", () => {
	it("is OpenAPI 3.1 titled tasker-edge, at the package's version", async () => {
		const doc = await spec();
		expect(doc.openapi).toBe("3.1.0");
		expect(doc.info).toMatchObject({ title: "tasker-edge", version: packageVersion });
	});

	it("documents every route the app serves, with its method, and nothing it does not serve", async () => {
		const served = servedOperations();
		expect(served).toContain("POST /v1/tasks");
		expect(served).toContain("PATCH /v1/tasks/{task_uuid}/workflow_steps/{step_uuid}");
		expect(served.length).toBeGreaterThanOrEqual(16);
		expect(documentedOperations(await spec())).toEqual(served);
	});

	it("declares each path parameter of each operation", async () => {
		for (const [path, operations] of Object.entries((await spec()).paths)) {
			const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
			for (const [method, operation] of Object.entries(operations)) {
				const declared = (operation.parameters ?? [])
					.filter((p) => p.in === "path")
					.map((p) => p.name)
					.sort();
				expect({ operation: `${method} ${path}`, params: declared }).toEqual({
					operation: `${method} ${path}`,
					params: inPath,
				});
			}
		}
	});

	it("gives every operation a JSON success (Prometheus text for /metrics) and the error envelope for each error status, 500 included", async () => {
		const errorRef = { $ref: "#/components/schemas/Error" };
		for (const [path, operations] of Object.entries((await spec()).paths)) {
			for (const [method, operation] of Object.entries(operations)) {
				const where = `${method.toUpperCase()} ${path}`;
				const statuses = Object.keys(operation.responses);
				expect(
					// 101: the task stream's WebSocket upgrade.
					statuses.some((s) => /^(2\d\d|101)$/.test(s)),
					`${where} has a success`,
				).toBe(true);
				expect(statuses, `${where} may answer 500`).toContain("500");
				for (const status of statuses) {
					const response = operation.responses[status];
					expect(response?.description, `${where} ${status}`).toBeTruthy();
					const schema = response?.content?.["application/json"]?.schema;
					if (/^[45]\d\d$/.test(status) && status !== "503") {
						expect(schema, `${where} ${status} is the error envelope`).toEqual(errorRef);
					} else if (status === "101") {
						expect(schema, `${where} ${status} switches protocols: no body`).toBeUndefined();
					} else if (path === "/metrics") {
						expect(Object.keys(response?.content ?? {}), `${where} ${status} is Prometheus text`).toEqual([
							"text/plain; version=0.0.4; charset=utf-8",
						]);
					} else {
						expect(schema, `${where} ${status} has a JSON body`).toBeDefined();
					}
				}
			}
		}
	});

	it("declares the credentials, and on each protected operation the permission the auth gate enforces", async () => {
		const doc = (await spec()) as unknown as {
			components: { securitySchemes: Record<string, unknown> };
			paths: Record<
				string,
				Record<
					string,
					{ security?: unknown[]; "x-required-permission"?: string; responses: Record<string, unknown> }
				>
			>;
		};
		expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["ApiKey", "BearerToken"]);
		const create = doc.paths["/v1/tasks"]?.post;
		expect(create?.["x-required-permission"]).toBe("tasks:create");
		expect(create?.security).toEqual([{ ApiKey: [] }, { BearerToken: [] }]);
		expect(Object.keys(create?.responses ?? {})).toEqual(expect.arrayContaining(["401", "403"]));
		expect(
			doc.paths["/v1/tasks/{task_uuid}/workflow_steps/{step_uuid}"]?.patch?.["x-required-permission"],
		).toBe("steps:resolve");
		expect(doc.paths["/health"]?.get?.security).toEqual([]);
		expect(doc.paths["/metrics"]?.get?.security).toEqual([]);
	});

	it("declares the routes' request bodies and errors as the routes answer them", async () => {
		const doc = await spec();
		const submit = doc.paths["/v1/tasks"]?.post;
		expect(submit?.requestBody?.content["application/json"]).toEqual({
			schema: { $ref: "#/components/schemas/TaskRequest" },
		});
		expect(Object.keys(submit?.responses ?? {}).sort()).toEqual([
			"201",
			"400",
			"401",
			"403",
			"404",
			"409",
			"413",
			"500",
		]);
		const validate = doc.paths["/v1/templates/validate"]?.post;
		expect(Object.keys(validate?.requestBody?.content ?? {})).toEqual(
			expect.arrayContaining(["application/yaml", "application/json"]),
		);
		const list = doc.paths["/v1/tasks"]?.get;
		expect(list?.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual([
			"query:page",
			"query:per_page",
			"query:namespace",
			"query:status",
			"query:initiator",
			"query:source_system",
		]);
	});

	it("has a component for every $ref, and the views' schemas among them", async () => {
		const doc = await spec();
		const schemas = Object.keys(doc.components.schemas);
		expect(schemas).toEqual(
			expect.arrayContaining(["Error", "Task", "Step", "Transition", "TaskList", "Template", "Health"]),
		);
		const refs = [...new Set(refsIn(doc))];
		expect(refs.length).toBeGreaterThan(10);
		for (const ref of refs) expect(schemas, ref).toContain(ref.replace("#/components/schemas/", ""));
	});

	it("describes what the health routes really answer", async () => {
		expect(healthSchema.safeParse(await (await app.request("/health")).json()).success).toBe(true);
		const detailed = await app.request("/health/detailed");
		expect(detailed.status).toBe(503);
		expect(detailedHealthSchema.parse(await detailed.json())).toMatchObject({ status: "unhealthy" });
	});
});

describe("GET /api-docs/ui", () => {
	it("is the Swagger UI page over the document", async () => {
		const response = await app.request("/api-docs/ui");
		expect(response.status).toBe(200);
		expect(response.headers.get("content-type")).toMatch(/^text\/html/);
		const html = await response.text();
		expect(html).toContain("SwaggerUIBundle");
		expect(html).toContain("/api-docs/openapi.json");
	});
});
