// Starts one real `wrangler dev` (the orchestrator and the billing handler Worker) for the end-to-end
// tests and stops it by its own pid afterwards.

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { BILLING_EXAMPLE } from "../../scripts/lib/billing-example";
import { startDevServer } from "../../scripts/lib/dev-server";
import { PROJECT_ROOT } from "../../scripts/lib/load-project";

/**
 * The primary Worker first: it is the one served on the port. The orchestrator with the billing example
 * opted in (generated from wrangler.toml by `npm run generate:billing`, which `npm test` runs first).
 */
export const E2E_CONFIGS = [BILLING_EXAMPLE.orchestratorConfig, BILLING_EXAMPLE.handlerWorkerConfig] as const;

declare module "vitest" {
	export interface ProvidedContext {
		taskerUrl: string;
	}
}

export default async function setup(project: TestProject) {
	// The orchestrator and the billing namespace's handler Worker, in one dev session (they share its
	// local Queues and Durable Objects): the namespace routed by the billing config has its consumer.
	const server = await startDevServer({ config: E2E_CONFIGS });
	project.provide("taskerUrl", server.url);
	return async () => {
		await server.stop();
		// Kept for diagnosing a failure (git-ignored with the rest of .wrangler/).
		await writeFile(join(PROJECT_ROOT, ".wrangler", "e2e-wrangler-dev.log"), server.output());
	};
}
