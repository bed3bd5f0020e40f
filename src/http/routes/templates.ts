// /v1/templates: the catalogue of registered task templates, one template in full, and validation of a
// template's YAML against this Worker's handlers (the same problems `npm run validate` prints).
import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { routedNamespaces } from "../../core/namespace-routes";
import { registryMethodCheck } from "../../handler-api/method-dispatch";
import { namespaceQueues } from "../../queue/namespace-queues";
import type { HandlerRegistry } from "../../registry/handler-registry";
import type { TemplateRegistry } from "../../registry/template-registry";
import { validateTemplateText } from "../../templates/validate-template";
import { notFound } from "../api-error";
import { bodyReadByHandler, createRouter } from "../openapi-router";
import { readTemplateText, templateTextJsonSchema, YAML_MEDIA_TYPES } from "../read-template-text";
import { requestBodyLimit } from "../request-body-limit";
import { errorResponses, jsonResponse } from "../route-responses";
import { templateListQuery, templatePathParams } from "../template-params";
import {
	templateCatalogueSchema,
	templateValidationSchema,
	templateViewSchema,
} from "../template-response-schemas";
import { templateCatalogueView, templateView } from "../template-views";

const tags = ["templates"];

const listTemplates = createRoute({
	method: "get",
	path: "/",
	tags,
	summary: "The registered task templates",
	request: { query: templateListQuery },
	responses: {
		200: jsonResponse(templateCatalogueSchema, "The catalogue"),
		...errorResponses({
			400: "a malformed, repeated or unknown query parameter",
			404: "no such namespace",
		}),
	},
});

const getTemplate = createRoute({
	method: "get",
	path: "/{namespace}/{name}/{version}",
	tags,
	summary: "One template in full",
	request: { params: templatePathParams },
	responses: {
		200: jsonResponse(templateViewSchema, "The template, normalised"),
		...errorResponses({ 400: "a malformed namespace, name or version", 404: "no such template or version" }),
	},
});

const yamlText = z.string().meta({ description: "The task template as YAML text." });

const validate = createRoute({
	method: "post",
	path: "/validate",
	tags,
	summary: "Validate a template's YAML against this Worker's handlers",
	description:
		"The body is the YAML itself (any of the YAML media types, or no content-type at all), or JSON " +
		'{"yaml": "..."}. A template with problems is still a 200: the request was fine, and its answer is the problems.',
	middleware: [requestBodyLimit()] as const,
	request: {
		body: {
			required: true,
			content: {
				...Object.fromEntries([...YAML_MEDIA_TYPES].map((type) => [type, { schema: yamlText }])),
				"application/json": { schema: templateTextJsonSchema.meta({ id: "TemplateText" }) },
			},
		},
	},
	responses: {
		200: jsonResponse(
			templateValidationSchema,
			"Valid, with the template normalised; or every problem found",
		),
		...errorResponses({
			400: "an empty body, an unsupported content-type or a malformed JSON body",
			413: "the body is too large",
		}),
	},
});

export function templateRoutes(templates: TemplateRegistry, handlers: HandlerRegistry) {
	const app = createRouter();
	const knownHandlers: ReadonlySet<string> = new Set(handlers.names());

	app.openapi(listTemplates, (c) => {
		const { namespace } = c.req.valid("query");
		if (namespace === undefined) return c.json(templateCatalogueView(templates.list()), 200);
		const found = templates.listNamespace(namespace);
		if (!found.ok) throw notFound(found.message);
		return c.json(templateCatalogueView(found.templates), 200);
	});

	app.openapi(getTemplate, (c) => {
		const { namespace, name, version } = c.req.valid("param");
		const found = templates.find(namespace, name, version);
		if (!found.ok) throw notFound(found.message);
		return c.json(templateView(found.template), 200);
	});

	// A template with problems is still a 200: the request was fine, and its answer is the problems.
	app.openapi(bodyReadByHandler(app, validate), async (c) => {
		// A namespace routed to another Worker's queue runs that Worker's handlers, not ours (as `npm run validate`).
		const queues = namespaceQueues(c.env ?? {});
		const routed = queues.ok ? routedNamespaces(queues.routes) : undefined;
		const validation = validateTemplateText(await readTemplateText(c), {
			knownHandlers,
			routedNamespaces: routed,
			handlerHasMethod: registryMethodCheck(handlers),
			// Shown as this Worker would run it: resolved for its TASKER_ENV.
			environment: templates.environment,
		});
		if (!validation.ok) return c.json({ valid: false as const, problems: validation.problems }, 200);
		return c.json({ valid: true as const, template: templateView(validation.template) }, 200);
	});

	return app;
}
