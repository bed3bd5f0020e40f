// Every router of the API is an OpenAPIHono: its routes are declared with createRoute (params, query, body and
// responses as zod schemas), which both feed the OpenAPI spec and validate requests. A validation failure goes
// through the one error mapping, as a 400 naming each field, its value and what was expected.
import { OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import { describeIssues } from "../validation/field-schemas";
import { badRequest } from "./api-error";

export type AppEnv = { Bindings: Env };

export function createRouter() {
	return new OpenAPIHono<AppEnv>({
		defaultHook: (result) => {
			if (!result.success) throw badRequest(describeIssues(result.error).join("; "));
		},
	});
}

/**
 * The route as the router should run it when the handler reads the body itself (readJsonBody,
 * readTemplateText): the body stays in the spec, but the library's own body validator is left out, since it
 * refuses with a bare 415 a JSON body sent without `content-type: application/json` (as `fetch` and `curl -d`
 * send a string) and answers an empty or malformed body with its own message rather than ours.
 */
export function bodyReadByHandler<R extends RouteConfig>(router: OpenAPIHono<AppEnv>, route: R): R {
	const { middleware: _middleware, hide: _hide, ...declared } = route;
	router.openAPIRegistry.registerPath(declared);
	const { body: _body, ...request } = route.request ?? {};
	return { ...route, request, hide: true };
}
