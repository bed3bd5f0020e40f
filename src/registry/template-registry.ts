// The task templates the Worker knows, looked up by (namespace, name, version?): a miss says what
// exists instead, because "not found" alone sends a client guessing.
import { compare, prerelease } from "semver";
import { resolveForEnvironment, taskerEnvironment } from "../templates/resolve-environment";
import { DEFAULT_TASKER_ENV, type TaskTemplate } from "../templates/task-template";

export type TemplateLookup = { ok: true; template: TaskTemplate } | { ok: false; message: string };
export type NamespaceLookup = { ok: true; templates: TaskTemplate[] } | { ok: false; message: string };

export class TemplateRegistry {
	/** namespace → name → templates, ascending by semver. */
	#byNamespace = new Map<string, Map<string, TaskTemplate[]>>();
	/** The templates as written: each environment is resolved from these. */
	readonly #written: readonly TaskTemplate[];
	#environment = "";

	/**
	 * Templates as written are resolved for `environment` (TASKER_ENV, default `development`); one
	 * already resolved is served as it is.
	 */
	constructor(templates: readonly TaskTemplate[], environment: string = DEFAULT_TASKER_ENV) {
		this.#written = templates;
		this.useEnvironment(environment);
	}

	/** The environment the served templates are resolved for. */
	get environment(): string {
		return this.#environment;
	}

	/**
	 * Serves the templates resolved for this TASKER_ENV value (unset or blank: `development`). The
	 * Worker calls it with its variable on each request; only a change of value resolves again.
	 */
	useEnvironment(value: unknown): void {
		const environment = taskerEnvironment(value);
		if (environment === this.#environment) return;
		const resolved = this.#written.map((t) =>
			t.environment === undefined ? resolveForEnvironment(t, environment) : t,
		);
		this.#byNamespace = TemplateRegistry.#index(resolved);
		this.#environment = environment;
	}

	static #index(templates: readonly TaskTemplate[]): Map<string, Map<string, TaskTemplate[]>> {
		const byNamespace = new Map<string, Map<string, TaskTemplate[]>>();
		for (const template of templates) {
			let byName = byNamespace.get(template.namespace);
			if (byName === undefined) {
				byName = new Map();
				byNamespace.set(template.namespace, byName);
			}
			const versions = byName.get(template.name) ?? [];
			if (versions.some((t) => t.version === template.version)) {
				throw new Error(`duplicate task template ${identity(template)} version ${template.version}`);
			}
			versions.push(template);
			versions.sort((a, b) => compare(a.version, b.version));
			byName.set(template.name, versions);
		}
		return byNamespace;
	}

	/** Exact version when given; otherwise the newest release, or the newest prerelease when there is no release. */
	find(namespace: string, name: string, version?: string): TemplateLookup {
		const byName = this.#byNamespace.get(namespace);
		if (byName === undefined) return { ok: false, message: this.#noNamespace(namespace) };
		const versions = byName.get(name);
		if (versions === undefined) {
			const names = [...byName.keys()].sort();
			return {
				ok: false,
				message: `no task template "${name}" in namespace "${namespace}" (templates there: ${listOrNone(names)})`,
			};
		}
		if (version !== undefined) {
			const template = versions.find((t) => t.version === version);
			if (template !== undefined) return { ok: true, template };
			const known = versions.map((t) => t.version).join(", ");
			return {
				ok: false,
				message: `task template ${namespace}/${name} has no version ${version} (versions: ${known})`,
			};
		}
		const releases = versions.filter((t) => prerelease(t.version) === null);
		const newest = (releases.length > 0 ? releases : versions).at(-1);
		if (newest === undefined) {
			return { ok: false, message: `task template ${namespace}/${name} has no versions` };
		}
		return { ok: true, template: newest };
	}

	/** Every template, by namespace, then name, then ascending version. */
	list(): TaskTemplate[] {
		return this.namespaces().flatMap((namespace) => this.#inNamespace(namespace) as TaskTemplate[]);
	}

	/** The templates of one namespace, by name then ascending version; a miss names the namespaces that exist. */
	listNamespace(namespace: string): NamespaceLookup {
		const templates = this.#inNamespace(namespace);
		return templates === undefined
			? { ok: false, message: this.#noNamespace(namespace) }
			: { ok: true, templates };
	}

	namespaces(): string[] {
		return [...this.#byNamespace.keys()].sort();
	}

	#inNamespace(namespace: string): TaskTemplate[] | undefined {
		const byName = this.#byNamespace.get(namespace);
		if (byName === undefined) return undefined;
		return [...byName.keys()].sort().flatMap((name) => byName.get(name) as TaskTemplate[]);
	}

	#noNamespace(namespace: string): string {
		return `no namespace "${namespace}" (namespaces: ${listOrNone(this.namespaces())})`;
	}
}

function identity(template: TaskTemplate): string {
	return `${template.namespace}/${template.name}`;
}

function listOrNone(items: readonly string[]): string {
	return items.length === 0 ? "none" : items.join(", ");
}
