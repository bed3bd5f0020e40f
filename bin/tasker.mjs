#!/usr/bin/env node
// `tasker`: the CLI run straight from its TypeScript source through tsx's ESM loader (no build step).
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/cli/main.ts");
process.exitCode = await runCli(process.argv.slice(2));
