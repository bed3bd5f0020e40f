// The registries generated at bench time (bench/.generated/, git-ignored) are imported through wrangler aliases
// (bench/wrangler.bench.toml), typed here: type-checking never needs them to exist, nor parses a 4 MB module.
declare module "bench-shapes-registry" {
	export const handlerModules: ReadonlyArray<{ path: string; exports: Record<string, unknown> }>;
	export const templates: readonly import("../../src/templates/task-template").TaskTemplate[];
}

declare module "bench-scale-registry" {
	export const handlerModules: ReadonlyArray<{ path: string; exports: Record<string, unknown> }>;
	export const templates: readonly import("../../src/templates/task-template").TaskTemplate[];
}
