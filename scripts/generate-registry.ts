// `npm run generate`: validates templates/ against src/handlers/ and writes src/generated/registry.ts.
// Usage: tsx scripts/generate-registry.ts [--templates DIR] [--handlers DIR] [--out FILE] [--templates-only]
// --templates-only: the handlers check the templates, but the module written holds the templates alone
// (for a Worker whose handlers run in another Worker).
import path from "node:path";
import { parseArgs } from "node:util";
import { generateRegistry } from "./lib/generate-registry";
import { formatReport } from "./lib/load-project";

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
		return 1;
	}
	const unchanged = result.written ? "" : " (unchanged)";
	console.log(
		`registry: ${result.templateCount} template(s), ${result.handlerCount} handler(s) -> ${result.outFile}${unchanged}`,
	);
	return 0;
}

process.exitCode = await main();
