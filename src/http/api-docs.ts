// The API's own description: the OpenAPI 3.1 document generated from the routes' zod schemas (the same ones
// that validate requests), and Swagger UI over it. Neither is itself in the document.
import { swaggerUI } from "@hono/swagger-ui";
import type { OpenAPIHono } from "@hono/zod-openapi";
// A named import: the bundler keeps only this one field of package.json.
import { version } from "../../package.json";
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
		document ??= app.getOpenAPI31Document({
			openapi: "3.1.0",
			info: { title: "tasker-edge", version, description: DESCRIPTION },
		});
		return c.json(document);
	});
	// The page loads swagger-ui's script and styles from a CDN (jsDelivr): a browser needs the network.
	app.get(SWAGGER_UI_PATH, swaggerUI({ url: OPENAPI_PATH, title: "tasker-edge API" }));
}
