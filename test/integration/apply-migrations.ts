// Setup of every integration test file: the D1 migrations (migrations/, read by vitest.workers.config.ts)
// applied to the test's TASK_INDEX, as `wrangler d1 migrations apply` does before the Worker runs.
import { applyD1Migrations, type D1Migration } from "cloudflare:test";
import { env } from "cloudflare:workers";

declare global {
	namespace Cloudflare {
		interface Env {
			TEST_MIGRATIONS: D1Migration[];
		}
	}
}

await applyD1Migrations(env.TASK_INDEX, env.TEST_MIGRATIONS);
