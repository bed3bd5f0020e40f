// Loads a project's handler modules and task templates from disk and checks them together: shared by the
// registry generator and `npm run validate`, so both accept and reject exactly the same things.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { routedNamespaces } from "../../src/core/namespace-routes";
import { registryMethodCheck } from "../../src/handler-api/method-dispatch";
import {
	collectHandlers,
	type HandlerModule,
	type HandlerRegistry,
} from "../../src/registry/handler-registry";
import type { TaskTemplate } from "../../src/templates/task-template";
import {
	formatProblem,
	type ValidateTemplateOptions,
	validateTemplateText,
} from "../../src/templates/validate-template";
import { readWranglerRoutes } from "./wrangler-routes";

/** The directory holding package.json, whatever the current directory. */
export const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface ProjectProblem {
	/** Relative to the project root (`templates/order_processing.yaml`); `""` when no one file is at fault. */
	file: string;
	/** Inside the file, e.g. `steps[2].dependencies[0]`; `""` for the whole file. */
	path: string;
	message: string;
}

export interface LoadedTemplate {
	/** Relative to the project root. */
	file: string;
	template: TaskTemplate;
}

export type ModuleImporter = (absolutePath: string) => Promise<Record<string, unknown>>;

export interface ProjectOptions {
	/** Defaults to PROJECT_ROOT; the directories below are resolved against it. */
	root?: string;
	templatesDir?: string;
	handlersDir?: string;
	/** How a handler module is loaded; defaults to a dynamic `import()` (tsx or vitest make `.ts` importable). */
	importModule?: ModuleImporter;
	/**
	 * A wrangler config (resolved against the root) whose NAMESPACE_QUEUES is checked, and whose routed
	 * namespaces' templates are not checked against this project's handlers (another Worker runs them).
	 */
	wranglerConfig?: string;
	/**
	 * When given, the templates returned are resolved for this environment (TASKER_ENV), as `npm run
	 * validate` shows them; otherwise they are kept as written, for the Worker to resolve at start-up.
	 * Every environment's overrides are checked either way.
	 */
	environment?: string;
}

export interface LoadedProject {
	root: string;
	templatesDir: string;
	handlersDir: string;
	handlerModules: HandlerModule[];
	/** Null when a handler module failed to load or the handlers conflict. */
	handlers: HandlerRegistry | null;
	templates: LoadedTemplate[];
	problems: ProjectProblem[];
}

export const DEFAULT_TEMPLATES_DIR = "templates";
export const DEFAULT_HANDLERS_DIR = "src/handlers";

export function isTemplateFile(fileName: string): boolean {
	return /\.ya?ml$/.test(fileName);
}

export function isHandlerFile(fileName: string): boolean {
	return fileName.endsWith(".ts") && !fileName.endsWith(".test.ts") && !fileName.endsWith(".d.ts");
}

/** `a/b/c.ts` relative to `root`, with forward slashes on every platform. */
export function projectPath(root: string, absolutePath: string): string {
	return path.relative(root, absolutePath).split(path.sep).join("/");
}

/**
 * Every file under `dir` (any depth) that `accept`s, as absolute paths in a stable order. Dot-files and
 * dot-directories are skipped: editors leave swap and lock files next to the real ones.
 */
export async function findFiles(dir: string, accept: (fileName: string) => boolean): Promise<string[]> {
	const entries = await readdir(dir, { recursive: true, withFileTypes: true });
	return entries
		.filter((entry) => entry.isFile() && accept(entry.name))
		.map((entry) => path.join(entry.parentPath, entry.name))
		.filter(
			(file) =>
				!path
					.relative(dir, file)
					.split(path.sep)
					.some((part) => part.startsWith(".")),
		)
		.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function listOrProblem(
	root: string,
	dir: string,
	accept: (fileName: string) => boolean,
	problems: ProjectProblem[],
): Promise<string[]> {
	try {
		return await findFiles(dir, accept);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const message = code === "ENOENT" ? "no such directory" : `could not read: ${(error as Error).message}`;
		problems.push({ file: projectPath(root, dir), path: "", message });
		return [];
	}
}

const importByUrl: ModuleImporter = (absolutePath) => import(pathToFileURL(absolutePath).href);

/** Imports every handler module under `handlersDir`; a module that throws on import is a problem, not a crash. */
export async function loadHandlerModules(
	root: string,
	handlersDir: string,
	importModule: ModuleImporter = importByUrl,
): Promise<{ modules: HandlerModule[]; problems: ProjectProblem[] }> {
	const problems: ProjectProblem[] = [];
	const modules: HandlerModule[] = [];
	for (const file of await listOrProblem(root, handlersDir, isHandlerFile, problems)) {
		const relative = projectPath(root, file);
		try {
			modules.push({ path: relative, exports: await importModule(file) });
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			problems.push({ file: relative, path: "", message: `could not load: ${message.split("\n")[0]}` });
		}
	}
	return { modules, problems };
}

/** Handler modules plus the registry built from them (null when any module or handler is at fault). */
export async function loadHandlers(
	root: string,
	handlersDir: string,
	importModule?: ModuleImporter,
): Promise<{ modules: HandlerModule[]; registry: HandlerRegistry | null; problems: ProjectProblem[] }> {
	const { modules, problems } = await loadHandlerModules(root, handlersDir, importModule);
	if (problems.length > 0) return { modules, registry: null, problems };
	const collected = collectHandlers(modules);
	if (collected.ok) return { modules, registry: collected.registry, problems };
	return { modules, registry: null, problems: collected.problems.map((p) => handlerProblem(p, modules)) };
}

// collectHandlers reports strings; most start with the module's path, which becomes the problem's file.
function handlerProblem(text: string, modules: readonly HandlerModule[]): ProjectProblem {
	const owner = modules.find((m) => text.startsWith(`${m.path}: `));
	return owner === undefined
		? { file: "", path: "", message: text }
		: { file: owner.path, path: "", message: text.slice(owner.path.length + 2) };
}

/**
 * Reads and validates every template under `templatesDir`. With `knownHandlers`, each callable must be one
 * of them. Two files defining the same namespace/name/version are a problem: a lookup could not choose.
 */
export async function loadTemplates(
	root: string,
	templatesDir: string,
	knownHandlers?: ReadonlySet<string>,
	routedNamespaces?: ReadonlySet<string>,
	extra: Pick<ValidateTemplateOptions, "handlerHasMethod" | "environment"> = {},
): Promise<{ templates: LoadedTemplate[]; problems: ProjectProblem[] }> {
	const problems: ProjectProblem[] = [];
	const templates: LoadedTemplate[] = [];
	const definedIn = new Map<string, string>();
	for (const file of await listOrProblem(root, templatesDir, isTemplateFile, problems)) {
		const relative = projectPath(root, file);
		const validation = validateTemplateText(await readFile(file, "utf8"), {
			knownHandlers,
			routedNamespaces,
			...extra,
		});
		if (!validation.ok) {
			problems.push(...validation.problems.map((p) => ({ file: relative, ...p })));
			continue;
		}
		const { template } = validation;
		const identity = `${template.namespace}/${template.name} version ${template.version}`;
		const earlier = definedIn.get(identity);
		if (earlier !== undefined) {
			problems.push({
				file: relative,
				path: "",
				message: `task template ${identity} is also defined in ${earlier}`,
			});
			continue;
		}
		definedIn.set(identity, relative);
		templates.push({ file: relative, template });
	}
	return { templates, problems };
}

/** Handlers first, since templates are checked against their names; all problems of both are reported. */
export async function loadProject(options: ProjectOptions = {}): Promise<LoadedProject> {
	const root = path.resolve(options.root ?? PROJECT_ROOT);
	const templatesDir = path.resolve(root, options.templatesDir ?? DEFAULT_TEMPLATES_DIR);
	const handlersDir = path.resolve(root, options.handlersDir ?? DEFAULT_HANDLERS_DIR);
	const handlers = await loadHandlers(root, handlersDir, options.importModule);
	// Without a registry, checking callables would only add noise on top of the handler problems.
	const knownHandlers = handlers.registry === null ? undefined : new Set(handlers.registry.names());
	const routing =
		options.wranglerConfig === undefined
			? { routes: new Map<string, string>(), problems: [] }
			: await readWranglerRoutes(root, options.wranglerConfig);
	const templates = await loadTemplates(root, templatesDir, knownHandlers, routedNamespaces(routing.routes), {
		handlerHasMethod: handlers.registry === null ? undefined : registryMethodCheck(handlers.registry),
		environment: options.environment,
	});
	return {
		root,
		templatesDir,
		handlersDir,
		handlerModules: handlers.modules,
		handlers: handlers.registry,
		templates: templates.templates,
		problems: [...routing.problems, ...handlers.problems, ...templates.problems],
	};
}

/** One line per problem, then `N problem(s) in M file(s)`. */
export function formatReport(problems: readonly ProjectProblem[]): string[] {
	const lines = problems.map((p) => (p.file === "" ? p.message : formatProblem(p.file, p)));
	const files = new Set(problems.filter((p) => p.file !== "").map((p) => p.file));
	// A file-less problem (two handlers sharing a name) still counts the files it names.
	for (const problem of problems.filter((p) => p.file === "")) {
		for (const file of problem.message.match(/[\w./-]+\.(?:ts|ya?ml)\b/g) ?? []) files.add(file);
	}
	lines.push(`${problems.length} problem(s) in ${files.size} file(s)`);
	return lines;
}
