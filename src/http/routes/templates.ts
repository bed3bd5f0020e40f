// /v1/templates: the catalogue of registered task templates, one template in full, and validation of a
// template's YAML against this Worker's handlers (the same problems `npm run validate` prints).
import { Hono } from "hono";
import { routedNamespaces } from "../../core/namespace-routes";
import { namespaceQueues } from "../../queue/namespace-queues";
import type { HandlerRegistry } from "../../registry/handler-registry";
import type { TemplateRegistry } from "../../registry/template-registry";
import { validateTemplateText } from "../../templates/validate-template";
import { notFound } from "../api-error";
import { readTemplateText } from "../read-template-text";
import { requestBodyLimit } from "../request-body-limit";
import {
	optionalSingleQuery,
	requireNamespace,
	requireTemplateName,
	requireVersionOrLatest,
} from "../template-params";
import { templateCatalogueView, templateView } from "../template-views";

export function templateRoutes(templates: TemplateRegistry, handlers: HandlerRegistry) {
	const app = new Hono<{ Bindings: Env }>();
	const knownHandlers: ReadonlySet<string> = new Set(handlers.names());

	app.get("/", (c) => {
		const filter = optionalSingleQuery(c, "namespace");
		if (filter === undefined) return c.json(templateCatalogueView(templates.list()));
		const found = templates.listNamespace(requireNamespace("namespace", filter));
		if (!found.ok) throw notFound(found.message);
		return c.json(templateCatalogueView(found.templates));
	});

	app.get("/:namespace/:name/:version", (c) => {
		const namespace = requireNamespace("namespace", c.req.param("namespace"));
		const name = requireTemplateName("name", c.req.param("name"));
		const version = requireVersionOrLatest("version", c.req.param("version"));
		const found = templates.find(namespace, name, version);
		if (!found.ok) throw notFound(found.message);
		return c.json(templateView(found.template));
	});

	// A template with problems is still a 200: the request was fine, and its answer is the problems.
	app.post("/validate", requestBodyLimit(), async (c) => {
		// A namespace routed to another Worker's queue runs that Worker's handlers, not ours (as `npm run validate`).
		const queues = namespaceQueues(c.env ?? {});
		const routed = queues.ok ? routedNamespaces(queues.routes) : undefined;
		const validation = validateTemplateText(await readTemplateText(c), {
			knownHandlers,
			routedNamespaces: routed,
		});
		if (!validation.ok) return c.json({ valid: false, problems: validation.problems });
		return c.json({ valid: true, template: templateView(validation.template) });
	});

	return app;
}
