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
	},
});
