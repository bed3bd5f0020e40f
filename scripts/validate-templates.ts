// `npm run validate`: checks every template under templates/ against the handlers in src/handlers/.
// Usage: tsx scripts/validate-templates.ts [--templates DIR] [--handlers DIR]
import path from "node:path";
import { parseArgs } from "node:util";
import { formatReport, loadProject } from "./lib/load-project";

const USAGE = "usage: tsx scripts/validate-templates.ts [--templates DIR] [--handlers DIR]";

async function main(): Promise<number> {
	let values: { templates?: string; handlers?: string };
	try {
		({ values } = parseArgs({
			options: { templates: { type: "string" }, handlers: { type: "string" } },
			strict: true,
			allowPositionals: false,
		}));
	} catch (error) {
		console.error(`${(error as Error).message}\n${USAGE}`);
		return 2;
	}
	const fromCwd = (p: string | undefined) => (p === undefined ? undefined : path.resolve(p));
	const project = await loadProject({
		templatesDir: fromCwd(values.templates),
		handlersDir: fromCwd(values.handlers),
		wranglerConfig: "wrangler.toml",
	});
	if (project.problems.length > 0) {
		for (const line of formatReport(project.problems)) console.error(line);
		return 1;
	}
	console.log(`${project.templates.length} template(s) valid`);
	return 0;
}

process.exitCode = await main();
