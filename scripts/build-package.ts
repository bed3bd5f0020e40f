// `npm run build` (run by `npm pack` as prepack): the package's JavaScript and type declarations in
// dist/, so that the `tasker` CLI and the client run from an installed package without tsx, and the
// SDK entry is plain ESM with .d.ts files. The JavaScript is bundled with esbuild (the bundler wrangler
// itself uses: no second toolchain), each entry on its own, the package's dependencies left as imports
// (npm installs them beside it); the declarations come from tsc, the only tool that writes them exactly.
import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { type BuildOptions, build } from "esbuild";
import { PROJECT_ROOT } from "./lib/load-project";

const DIST = path.join(PROJECT_ROOT, "dist");

const shared: BuildOptions = {
	absWorkingDir: PROJECT_ROOT,
	bundle: true,
	format: "esm",
	target: "es2023",
	// Dependencies stay imports; `cloudflare:*` modules belong to the Workers runtime.
	packages: "external",
	external: ["cloudflare:*"],
	sourcemap: true,
	logLevel: "warning",
};

await rm(DIST, { recursive: true, force: true });
await Promise.all([
	// The SDK (handler API, handler Worker) runs inside a Worker bundle; the client wherever fetch does.
	build({
		...shared,
		platform: "neutral",
		entryPoints: { index: "src/index.ts", "client/index": "src/client/index.ts" },
		outdir: DIST,
	}),
	// The CLI runs in Node.
	build({ ...shared, platform: "node", entryPoints: { cli: "src/cli/main.ts" }, outdir: DIST }),
]);
const bin = path.join(PROJECT_ROOT, "node_modules", ".bin");
await promisify(execFile)(path.join(bin, "tsc"), ["-p", "tsconfig.build.json"], { cwd: PROJECT_ROOT });
console.log("built dist/: index.js, client/index.js, cli.js and their type declarations (dist/types)");
