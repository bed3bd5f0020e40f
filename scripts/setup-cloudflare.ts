// `npm run setup:cloudflare [-- --dry-run] [-- --config FILE]`: creates what the Worker's config needs on
// the Cloudflare account (its queues, the dead-letter queue, the D1 database) and writes the database's
// id into the config. It looks before it creates, so running it again changes nothing; it prints each
// thing it did. With --dry-run it only prints what it would create, offline, and changes nothing.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import {
	createdDatabaseId,
	describeAction,
	planSetup,
	setupNeeds,
	withDatabaseId,
} from "./lib/cloudflare-setup";
import { PROJECT_ROOT } from "./lib/load-project";

const args = process.argv.slice(2);
// `npm run setup:cloudflare --dry-run` hands the flag to npm, which passes it on as npm_config_dry_run.
const dryRun = args.includes("--dry-run") || process.env.npm_config_dry_run === "true";
const configIndex = args.indexOf("--config");
const configFile = path.resolve(
	PROJECT_ROOT,
	configIndex >= 0 ? (args[configIndex + 1] ?? "") : "wrangler.toml",
);

async function wrangler(...wranglerArgs: string[]): Promise<string> {
	const bin = path.join(PROJECT_ROOT, "node_modules", ".bin");
	const { stdout } = await promisify(execFile)(path.join(bin, "wrangler"), wranglerArgs, {
		cwd: PROJECT_ROOT,
		env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` },
		maxBuffer: 16 * 1024 * 1024,
	});
	return stdout;
}

/** Queue names of `wrangler queues list` (a table: the name is the second column). */
function queueNames(table: string): string[] {
	return table
		.split("\n")
		.map((line) => line.split("│").map((cell) => cell.trim()))
		.flatMap((cells) => (cells.length > 3 && cells[2] && cells[2] !== "name" ? [cells[2]] : []));
}

async function main(): Promise<number> {
	const { experimental_readRawConfig } = await import("wrangler");
	const raw = experimental_readRawConfig({ config: configFile }).rawConfig;
	const needs = setupNeeds(raw as Parameters<typeof setupNeeds>[0]);
	const relative = path.relative(PROJECT_ROOT, configFile);
	console.log(`${dryRun ? "dry run: " : ""}resources of ${relative}`);

	if (dryRun) {
		for (const action of planSetup(needs, null)) console.log(`  ${describeAction(action, true)}`);
		console.log("nothing was created: run without --dry-run (after `npx wrangler login`) to create them");
		return 0;
	}

	const existing = {
		queues: queueNames(await wrangler("queues", "list")),
		d1: JSON.parse(await wrangler("d1", "list", "--json")) as Array<{ name: string; uuid: string }>,
	};
	let toml = await readFile(configFile, "utf8");
	for (const action of planSetup(needs, existing)) {
		if (action.kind === "create_queue") await wrangler("queues", "create", action.name);
		if (action.kind === "create_d1") {
			const output = await wrangler("d1", "create", action.name);
			const id = createdDatabaseId(output);
			if (!id) throw new Error(`could not read the new database's id from wrangler's output:\n${output}`);
			toml = withDatabaseId(toml, action.name, id);
			console.log(`  ${describeAction(action, false)}: ${id}, written into ${relative}`);
			continue;
		}
		if (action.kind === "d1_exists" && action.writeId) toml = withDatabaseId(toml, action.name, action.id);
		console.log(`  ${describeAction(action, false)}`);
	}
	await writeFile(configFile, toml);
	console.log("done: `npm run deploy` applies the D1 migrations and deploys");
	return 0;
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: Error & { stderr?: string }) => {
		console.error(`setup:cloudflare failed: ${error.message}${error.stderr ? `\n${error.stderr}` : ""}`);
		process.exitCode = 1;
	},
);
