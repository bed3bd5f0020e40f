// Tier 3: a few end-to-end runs against a real `wrangler dev` (started once by the global setup).
import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		include: ["test/e2e/**/*.test.ts"],
		environment: "node",
		globalSetup: ["./test/e2e/global-setup.ts"],
		testTimeout: 30_000,
		hookTimeout: 90_000,
		silent: "passed-only",
	},
});
