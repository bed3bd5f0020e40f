// Starts one real `wrangler dev` for the end-to-end tests and stops it by its own pid afterwards.
import type { TestProject } from "vitest/node";
import { startDevServer } from "../../scripts/lib/dev-server";

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
	};
}
