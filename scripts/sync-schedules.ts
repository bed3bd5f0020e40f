// Syncs the templates' `schedules:` with the running Worker (POST /v1/schedules/sync). `npm run deploy`
// runs it once the Worker is deployed (TASKER_URL, and TASKER_API_KEY when auth is on, name the
// deployed Worker); `npm run dev` runs it in the background with --wait, once wrangler dev answers.
// A route rather than the Worker's own start: a Worker has no "deployed" hook, and a route is
// the same on a laptop, in CI and in tests.
import { parseArgs } from "node:util";
import { TaskerClient } from "../src/client";

const { values } = parseArgs({ options: { wait: { type: "boolean" }, url: { type: "string" } } });
const url = values.url ?? process.env.TASKER_URL ?? (values.wait ? "http://localhost:8787" : undefined);
if (!url) {
	console.error(
		"schedules not synced: set TASKER_URL (and TASKER_API_KEY if auth is on) to the deployed Worker, or run `tasker schedule sync` against it",
	);
	process.exit(1);
}
const client = new TaskerClient({ baseUrl: url, apiKey: process.env.TASKER_API_KEY || undefined });

/** Waits for the server to answer /health (wrangler dev starts in seconds; a minute is plenty). */
async function serverUp(deadline: number): Promise<boolean> {
	while (Date.now() < deadline) {
		try {
			const response = await fetch(new URL("/health", url));
			if (response.ok) return true;
		} catch {
			// Not listening yet.
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return false;
}

if (values.wait && !(await serverUp(Date.now() + 60_000))) {
	console.error(`schedules not synced: ${url} did not answer /health within 60 s`);
	process.exit(1);
}
try {
	const sync = await client.syncSchedules();
	const counts = Object.entries(sync).map(([outcome, list]) => `${list.length} ${outcome}`);
	console.log(`schedules synced with ${url}: ${counts.join(", ")}`);
	for (const failed of sync.failed)
		console.error(`  ${failed.namespace}/${failed.name} ${failed.schedule}: ${failed.error}`);
	process.exit(sync.failed.length === 0 ? 0 : 1);
} catch (error) {
	console.error(`schedules not synced: ${(error as Error).message}`);
	process.exit(1);
}
