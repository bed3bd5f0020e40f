// Syncs the templates' `schedules:` with a running Worker (POST /v1/schedules/sync) and says what it did:
// `npm run schedules:sync` after a deploy, and `npm run dev` once its wrangler dev answers.
import { TaskerClient } from "../../src/client";

/** Syncs and prints the outcome; true when every schedule synced. */
export async function syncTemplateSchedules(url: string, apiKey: string | undefined): Promise<boolean> {
	const client = new TaskerClient({ baseUrl: url, apiKey });
	try {
		const sync = await client.syncSchedules();
		const counts = Object.entries(sync).map(([outcome, list]) => `${list.length} ${outcome}`);
		console.log(`schedules synced with ${url}: ${counts.join(", ")}`);
		for (const failed of sync.failed)
			console.error(`  ${failed.namespace}/${failed.name} ${failed.schedule}: ${failed.error}`);
		return sync.failed.length === 0;
	} catch (error) {
		console.error(`schedules not synced with ${url}: ${(error as Error).message}`);
		return false;
	}
}
