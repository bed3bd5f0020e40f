// Reads NAMESPACE_QUEUES, PULL_NAMESPACES and the queue producer bindings from a wrangler config at build time, and
// checks them with the same pure rules as the running Worker: `npm run dev`/`deploy` stop on a bad map.
import path from "node:path";
import {
	NAMESPACE_QUEUES_VAR,
	type NamespaceRoutes,
	PULL_NAMESPACES_VAR,
	parseNamespaceRoutes,
} from "../../src/core/namespace-routes";
import type { ProjectProblem } from "./load-project";

export interface WranglerRoutes {
	routes: NamespaceRoutes;
	problems: ProjectProblem[];
}

/** `configFile` is resolved against `root`; wrangler's own reader parses it (TOML or JSON). */
export async function readWranglerRoutes(root: string, configFile: string): Promise<WranglerRoutes> {
	const file = path.resolve(root, configFile);
	const relative = path.relative(root, file).split(path.sep).join("/");
	let raw: { vars?: Record<string, unknown>; queues?: { producers?: Array<{ binding?: unknown }> } };
	try {
		// Loaded on demand: wrangler is large, and only the build-time check needs it.
		const { experimental_readRawConfig } = await import("wrangler");
		raw = experimental_readRawConfig({ config: file }).rawConfig as typeof raw;
	} catch (error) {
		const message = `could not read: ${(error as Error).message.split("\n")[0]}`;
		return { routes: new Map(), problems: [{ file: relative, path: "", message }] };
	}
	const producers = (raw.queues?.producers ?? []).flatMap((p) =>
		typeof p.binding === "string" ? [p.binding] : [],
	);
	const parsed = parseNamespaceRoutes(
		raw.vars?.[NAMESPACE_QUEUES_VAR],
		producers,
		raw.vars?.[PULL_NAMESPACES_VAR],
	);
	if (parsed.ok) return { routes: parsed.routes, problems: [] };
	return {
		routes: new Map(),
		problems: parsed.problems.map((message) => ({ file: relative, path: "", message })),
	};
}
