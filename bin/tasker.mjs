#!/usr/bin/env node
// `tasker`: in an installed package, the built CLI (dist/cli.js, from `npm run build`, run by `npm pack`);
// in a checkout of the project, its TypeScript source through tsx's loader, so that no build goes stale.
import { existsSync } from "node:fs";

const source = new URL("../src/cli/main.ts", import.meta.url);
let runCli;
if (existsSync(source)) {
	const { register } = await import("tsx/esm/api");
	register();
	({ runCli } = await import(source.href));
} else {
	({ runCli } = await import(new URL("../dist/cli.js", import.meta.url).href));
}
process.exitCode = await runCli(process.argv.slice(2));
