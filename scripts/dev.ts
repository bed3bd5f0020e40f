// `npm run dev` (and `dev:python`, `dev:workers`): `wrangler dev` with the arguments given (`npm run dev
// -- --port 8790` passes them on), and the templates' schedules synced with that very server once it
// answers /health. The port and address come from the same arguments and config wrangler reads
// (scripts/lib/dev-url.ts), so a server on another port is synced, and an instance already on 8787 or a
// deployed Worker named by TASKER_URL is never touched. A template made invalid while it runs leaves the
// last valid registry serving (KEEP_LAST_GOOD_ENV, read by scripts/generate-registry.ts). wrangler keeps
// the terminal (its keys, its colours); Ctrl-C stops it, and this with it.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { constants } from "node:os";
import { join, resolve } from "node:path";
import { waitForHealth } from "./lib/dev-server";
import { devServerUrl } from "./lib/dev-url";
import { KEEP_LAST_GOOD_ENV } from "./lib/generate-registry";
import { PROJECT_ROOT } from "./lib/load-project";
import { syncTemplateSchedules } from "./lib/schedule-sync";

/** wrangler dev starts in seconds; past this, the sync gives up and says so. */
const READY_TIMEOUT_MS = 60_000;
/** A server already there answers a local request well within this. */
const PROBE_TIMEOUT_MS = 1_000;

const args = process.argv.slice(2);
const url = devServerUrl(args, (path) => {
	try {
		return readFileSync(resolve(PROJECT_ROOT, path), "utf8");
	} catch {
		return undefined;
	}
});

// Whatever answers there before wrangler starts is another server (wrangler dev will refuse the port): never
// synced in its place.
const takenBefore = await answersAt(url);

// wrangler needs Node 22: the `node` devDependency's binary first on PATH, as under `npm run`.
const bin = join(PROJECT_ROOT, "node_modules", ".bin");
const wrangler = spawn(join(bin, "wrangler"), ["dev", ...args], {
	cwd: PROJECT_ROOT,
	env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}`, [KEEP_LAST_GOOD_ENV]: "1" },
	stdio: "inherit",
});
let exited = false;
wrangler.on("exit", (code, signal) => {
	exited = true;
	// A shell reports a death by signal N as 128 + N.
	process.exit(code ?? (signal === null ? 1 : 128 + constants.signals[signal]));
});
wrangler.on("error", (error) => {
	console.error(`wrangler dev did not start: ${error.message}`);
	process.exit(1);
});
// A Ctrl-C at the terminal reaches wrangler too (same process group), and wrangler's exit ends this; a
// signal sent to this process alone is passed on.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
	process.on(signal, () => wrangler.kill(signal));

if (takenBefore) {
	console.error(`schedules not synced: ${url} already answered before this wrangler dev started`);
} else {
	await syncOnceReady();
}

/** Syncs once wrangler answers /health; says why not if it never does. */
async function syncOnceReady(): Promise<void> {
	try {
		await waitForHealth(url, wrangler, READY_TIMEOUT_MS);
		await syncTemplateSchedules(url, process.env.TASKER_API_KEY || undefined);
	} catch (error) {
		// wrangler ended before answering (its exit ends this too), or did not answer in time.
		if (!exited)
			console.error(
				`schedules not synced: ${(error as Error).message} (run \`tasker schedule sync\` against it)`,
			);
	}
}

/** Whether anything answers HTTP at the URL now. */
async function answersAt(base: string): Promise<boolean> {
	try {
		await fetch(new URL("/health", base), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
		return true;
	} catch {
		return false;
	}
}
