// `--json` prints what the API answered, snake_case as on the wire: the client camelCased only top-level field
// names (user data untouched), so snake-casing those same names again restores the server's JSON exactly.
import { snakeCaseKeys } from "../client/camel-case";
import type { TaskList, Template, TemplateCatalogue } from "../client/client-types";

type Wire = Record<string, unknown>;

/** A task (or a task list's entry), step or transition, as the API sent it. */
export function wireObject(value: object): Wire {
	// snakeCaseKeys leaves out undefined fields, as JSON.stringify would; a null stays.
	return snakeCaseKeys(value as unknown as Record<string, unknown>);
}

export function wireTaskList(list: TaskList): Wire {
	return {
		tasks: list.tasks.map(wireObject),
		pagination: snakeCaseKeys(list.pagination as unknown as Record<string, unknown>),
	};
}

export function wireTemplate(template: Template): Wire {
	return {
		...snakeCaseKeys(template as unknown as Record<string, unknown>),
		steps: template.steps.map((step) => ({
			...snakeCaseKeys(step as unknown as Record<string, unknown>),
			retry: snakeCaseKeys(step.retry as unknown as Record<string, unknown>),
		})),
	};
}

export function wireCatalogue(catalogue: TemplateCatalogue): Wire {
	const snake = (value: object) => snakeCaseKeys(value as Record<string, unknown>);
	return {
		namespaces: catalogue.namespaces.map(snake),
		templates: catalogue.templates.map(snake),
		total_count: catalogue.totalCount,
	};
}

/** Pretty JSON, one document per command, so `| jq` works. */
export function jsonLines(value: unknown): string[] {
	return [JSON.stringify(value, null, 2)];
}
