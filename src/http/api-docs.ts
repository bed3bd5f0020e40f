// The API's own description: the OpenAPI 3.1 document generated from the routes' zod schemas (the same ones
// that validate requests), and Swagger UI over it. Neither is itself in the document.
import type { OpenAPIHono } from "@hono/zod-openapi";
// A named import: the bundler keeps only this one field of package.json.
import { version } from "../../package.json";
import { accessFor, PUBLIC } from "../auth/route-permissions";
import type { AppEnv } from "./openapi-router";

export const OPENAPI_PATH = "/api-docs/openapi.json";
export const SWAGGER_UI_PATH = "/api-docs/ui";

const DESCRIPTION =
	"Tasker workflow orchestration on Cloudflare Workers. Every error is " +
	'`{"error": {"code", "message"}}`, the message naming the field, the value given and what was expected.';

/** Serves the document of every route registered on `app` by the time of the first request. */
export function mountApiDocs(app: OpenAPIHono<AppEnv>) {
	let document: ReturnType<typeof app.getOpenAPI31Document> | undefined;
	app.get(OPENAPI_PATH, (c) => {
		document ??= withSecurity(
			app.getOpenAPI31Document({
				openapi: "3.1.0",
				info: { title: "tasker-edge", version, description: DESCRIPTION },
			}),
		);
		return c.json(document);
	});
	// Swagger UI's script and styles are the Worker's own static assets (copied from swagger-ui-dist by
	// scripts/build-ui.ts), so the page renders with no network beyond this host.
	app.get(SWAGGER_UI_PATH, (c) => c.html(SWAGGER_PAGE));
}

const SWAGGER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tasker-edge API</title>
<link rel="stylesheet" href="/ui/assets/swagger/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/ui/assets/swagger/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: "${OPENAPI_PATH}", dom_id: "#swagger-ui" });</script></body></html>`;

type Document = ReturnType<OpenAPIHono<AppEnv>["getOpenAPI31Document"]>;

/**
 * Declares the two credentials (used once keys or a JWT issuer are configured) and, on each
 * operation, the permission it needs, from the same table the auth gate enforces.
 */
function withSecurity(document: Document): Document {
	const paths = document.paths ?? {};
	for (const [path, item] of Object.entries(paths)) {
		const concrete = path.replace(/\{[^}]+\}/g, "x");
		for (const method of ["get", "post", "patch", "delete", "put"] as const) {
			const operation = item?.[method];
			if (!operation) continue;
			const access = accessFor(method.toUpperCase(), concrete);
			if (access === null || access === PUBLIC) {
				operation.security = [];
				continue;
			}
			operation.security = [{ ApiKey: [] }, { BearerToken: [] }];
			operation.description = [
				operation.description,
				`Requires the permission \`${access}\` when auth is on.`,
			]
				.filter(Boolean)
				.join("\n\n");
			Object.assign(operation, { "x-required-permission": access });
			operation.responses = {
				...operation.responses,
				401: errorResponse("No valid credentials (auth is on)"),
				403: errorResponse(`The credentials lack ${access}`),
			};
		}
	}
	document.components = {
		...document.components,
		securitySchemes: {
			ApiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
			BearerToken: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
		},
	};
	return document;
}

function errorResponse(description: string) {
	return { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
}
