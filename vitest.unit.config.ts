// Tier 1: the pure core, templates and handler API, in plain Node (milliseconds, no workerd).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
	resolve: { alias: { "tasker-edge": fileURLToPath(new URL("./src/index.ts", import.meta.url)) } },
	test: {
		include: ["test/unit/**/*.test.ts"],
		environment: "node",
		silent: "passed-only",
		typecheck: { enabled: false },
		// The files share their worker processes, one after another: a fresh module graph per file cost about
		// 40 s of the tier's 90. The code under test keeps no state between calls that a file could leave
		// behind, and the files restore what they stub (checked with `--sequence.shuffle.files` over seeds).
		isolate: false,
	},
});
