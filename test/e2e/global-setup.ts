// Starts one real `wrangler dev` for the end-to-end tests and stops it by its own pid afterwards.

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startDevServer } from "../../scripts/lib/dev-server";
import { PROJECT_ROOT } from "../../scripts/lib/load-project";

declare module "vitest" {
	export interface ProvidedContext {
		taskerUrl: string;
	}
}

export default async function setup(project: TestProject) {
	const server = await startDevServer();
	project.provide("taskerUrl", server.url);
	return async () => {
		await server.stop();
		// Kept for diagnosing a failure (git-ignored with the rest of .wrangler/).
		await writeFile(join(PROJECT_ROOT, ".wrangler", "e2e-wrangler-dev.log"), server.output());
	};
}
