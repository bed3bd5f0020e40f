// Tier 2: integration tests inside workerd, with real Durable Objects (SQLite), alarms and Queues.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// The D1 schema, as `wrangler d1 migrations apply` creates it: applied by the setup file before each
// test file (test/integration/apply-migrations.ts), so that the tests run on the shipped schema.
const migrations = await readD1Migrations(fileURLToPath(new URL("./migrations", import.meta.url)));

// The orchestrator's config with the billing example opted in (generated from wrangler.toml by
// `npm run generate:billing`, which `npm test` runs first): the billing namespace routed to its queue.
const BILLING_CONFIG = "./wrangler.billing.jsonc";
if (!existsSync(fileURLToPath(new URL(BILLING_CONFIG, import.meta.url)))) {
	throw new Error(`${BILLING_CONFIG} is missing: run \`npm run generate:billing\` (npm test does) first`);
}

// Files asserting on fleet-wide aggregates in D1 (every task's executions in a window, every old row
// pruned): they need storage no other file has written, so each still gets a workerd of its own.
const FRESH_STORAGE = ["test/integration/analytics.test.ts", "test/integration/analytics-retention.test.ts"];

export default defineConfig({
	plugins: [
		cloudflareTest({
			main: "./test/integration/test-worker.ts",
			wrangler: { configPath: BILLING_CONFIG },
			// The test Worker also stands in for the billing handler Worker (examples/billing-worker):
			// it consumes the billing namespace's queue too, with only the billing handlers.
			// The `pulled` namespace (test/fixtures/templates/pulled_diamond.yaml) is served by pull
			// workers, played by test/integration/pull-workers.test.ts over HTTP.
			// It also subscribes to the domain events (examples/domain-event-subscriber does in earnest).
			miniflare: {
				queueConsumers: {
					"tasker-steps-billing": { maxBatchTimeout: 0 },
					"tasker-domain-events": { maxBatchTimeout: 0 },
				},
				bindings: { TEST_MIGRATIONS: migrations, PULL_NAMESPACES: "pulled" },
			},
		}),
	],
	resolve: { alias: { "tasker-edge": fileURLToPath(new URL("./src/index.ts", import.meta.url)) } },
	test: {
		setupFiles: ["./test/integration/apply-migrations.ts"],
		testTimeout: 20_000,
		// The engine logs one JSON line per event: shown for failing tests only.
		silent: "passed-only",
		projects: [
			// A fresh workerd (Miniflare) per test file costs about 3 s to start, more than most files take to
			// run: these files share one per pool worker, run one after another in it. Each names its own
			// tasks (identities, idempotency keys) and reads its own rows or deltas, so what an earlier file
			// left in storage does not reach it (checked with `--sequence.shuffle` over many seeds).
			{
				extends: true,
				test: {
					name: "workers",
					include: ["test/integration/**/*.test.ts"],
					exclude: FRESH_STORAGE,
					isolate: false,
				},
			},
			{ extends: true, test: { name: "workers-fresh", include: FRESH_STORAGE } },
		],
	},
});
