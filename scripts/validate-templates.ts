// `npm run validate`: checks every template under templates/ against the handlers in src/handlers/, and
// every environment's overrides; `--show` prints each template as it runs in TASKER_ENV (default
// development), overrides applied, in the API's own form (GET /v1/templates/{namespace}/{name}/{version}).
// Usage: tsx scripts/validate-templates.ts [--templates DIR] [--handlers DIR] [--show]
import path from "node:path";
import { parseArgs } from "node:util";
import { templateView } from "../src/http/template-views";
import { taskerEnvironment } from "../src/templates/resolve-environment";
import { formatReport, loadProject } from "./lib/load-project";

const USAGE =
	"usage: [TASKER_ENV=name] tsx scripts/validate-templates.ts [--templates DIR] [--handlers DIR] [--show]";

async function main(): Promise<number> {
	let values: { templates?: string; handlers?: string; show?: boolean };
	try {
		({ values } = parseArgs({
			options: { templates: { type: "string" }, handlers: { type: "string" }, show: { type: "boolean" } },
			strict: true,
			allowPositionals: false,
		}));
	} catch (error) {
		console.error(`${(error as Error).message}\n${USAGE}`);
		return 2;
	}
	const environment = taskerEnvironment(process.env.TASKER_ENV);
	const fromCwd = (p: string | undefined) => (p === undefined ? undefined : path.resolve(p));
	const project = await loadProject({
		templatesDir: fromCwd(values.templates),
		handlersDir: fromCwd(values.handlers),
		wranglerConfig: "wrangler.toml",
		environment,
	});
	if (project.problems.length > 0) {
		for (const line of formatReport(project.problems)) console.error(line);
		return 1;
	}
	if (values.show) {
		const views = project.templates.map(({ file, template }) => ({ file, ...templateView(template) }));
		console.log(JSON.stringify(views, null, 2));
	}
	console.log(`${project.templates.length} template(s) valid (TASKER_ENV=${environment})`);
	return 0;
}

process.exitCode = await main();
