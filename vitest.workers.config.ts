// Tier 2: integration tests inside workerd, with real Durable Objects (SQLite), alarms and Queues.
import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
	plugins: [
		cloudflareTest({
			main: "./test/integration/test-worker.ts",
			wrangler: { configPath: "./wrangler.toml" },
			// The test Worker also stands in for the billing handler Worker (examples/billing-worker):
			// it consumes the billing namespace's queue too, with only the billing handlers.
			// The `pulled` namespace (test/fixtures/templates/pulled_diamond.yaml) is served by pull
			// workers, played by test/integration/pull-workers.test.ts over HTTP.
			miniflare: {
				queueConsumers: { "tasker-steps-billing": { maxBatchTimeout: 0 } },
				bindings: { PULL_NAMESPACES: "pulled" },
			},
		}),
	],
	resolve: { alias: { "tasker-edge": fileURLToPath(new URL("./src/index.ts", import.meta.url)) } },
	test: {
		include: ["test/integration/**/*.test.ts"],
		testTimeout: 20_000,
		// The engine logs one JSON line per event: shown for failing tests only.
		silent: "passed-only",
	},
});
