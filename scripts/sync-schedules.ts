// `npm run schedules:sync`: syncs the templates' `schedules:` with the running Worker named by TASKER_URL (or
// --url), with TASKER_API_KEY when auth is on. `npm run deploy` runs it once the Worker is deployed; `npm run
// dev` syncs with the server it starts by itself (scripts/dev.ts).
// A route rather than the Worker's own start: a Worker has no "deployed" hook, and a route is
// the same on a laptop, in CI and in tests.
import { parseArgs } from "node:util";
import { syncTemplateSchedules } from "./lib/schedule-sync";

const { values } = parseArgs({ options: { url: { type: "string" } } });
const url = values.url ?? (process.env.TASKER_URL || undefined);
if (!url) {
	console.error(
		"schedules not synced: set TASKER_URL (and TASKER_API_KEY if auth is on) to the deployed Worker, or run `tasker schedule sync` against it",
	);
	process.exit(1);
}
process.exit((await syncTemplateSchedules(url, process.env.TASKER_API_KEY || undefined)) ? 0 : 1);
