// `npm run generate`: validates templates/ against src/handlers/ and writes src/generated/registry.ts.
// Usage: tsx scripts/generate-registry.ts [--templates DIR] [--handlers DIR] [--out FILE] [--templates-only]
// --templates-only: the handlers check the templates, but the module written holds the templates alone
// (for a Worker whose handlers run in another Worker).
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_OUT_FILE, generateRegistry, KEEP_LAST_GOOD_ENV } from "./lib/generate-registry";
import { formatReport, PROJECT_ROOT } from "./lib/load-project";

const USAGE =
	"usage: tsx scripts/generate-registry.ts [--templates DIR] [--handlers DIR] [--out FILE] [--templates-only]";

async function main(): Promise<number> {
	let values: { templates?: string; handlers?: string; out?: string; "templates-only"?: boolean };
	try {
		({ values } = parseArgs({
			options: {
				templates: { type: "string" },
				handlers: { type: "string" },
				out: { type: "string" },
				"templates-only": { type: "boolean" },
			},
			strict: true,
			allowPositionals: false,
		}));
	} catch (error) {
		console.error(`${(error as Error).message}\n${USAGE}`);
		return 2;
	}
	// Arguments are relative to where the command runs; the defaults to the project root.
	const fromCwd = (p: string | undefined) => (p === undefined ? undefined : path.resolve(p));
	const result = await generateRegistry({
		templatesDir: fromCwd(values.templates),
		handlersDir: fromCwd(values.handlers),
		outFile: fromCwd(values.out),
		templatesOnly: values["templates-only"] === true,
		// Its routed namespaces run in other Workers: their templates are not checked against src/handlers.
		wranglerConfig: "wrangler.toml",
	});
	if (!result.ok) {
		for (const line of formatReport(result.problems)) console.error(line);
		// Under `npm run dev` (scripts/dev.ts), a failed build left wrangler dev holding every request until
		// the next good one: the last valid registry keeps serving instead, and the problems are said above.
		// Everywhere else (npm test, deploy, a bare wrangler) an invalid template stops the build.
		const outFile = fromCwd(values.out) ?? path.resolve(PROJECT_ROOT, DEFAULT_OUT_FILE);
		if (process.env[KEEP_LAST_GOOD_ENV] === "1" && existsSync(outFile)) {
			console.error(
				`registry: not regenerated; wrangler dev goes on serving the last valid one until this is fixed`,
			);
			return 0;
		}
		return 1;
	}
	const unchanged = result.written ? "" : " (unchanged)";
	console.log(
		`registry: ${result.templateCount} template(s), ${result.handlerCount} handler(s) -> ${result.outFile}${unchanged}`,
	);
	return 0;
}

process.exitCode = await main();
