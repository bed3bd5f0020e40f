// Before wrangler starts: the scale templates, then three registries (the real one, the reference shapes, the
// scale cases), each validated against its handlers by the project's own generator; any problem stops the run.
import { generateRegistry } from "../../scripts/lib/generate-registry";
import { formatReport } from "../../scripts/lib/load-project";
import {
	BENCH_HANDLERS_DIR,
	SCALE_REGISTRY_FILE,
	SCALE_TEMPLATES_DIR,
	SHAPE_TEMPLATES_DIR,
	SHAPES_REGISTRY_FILE,
} from "./bench-paths";
import { writeScaleTemplates } from "./scale-templates";

export interface PreparedWorker {
	templates: number;
	millis: number;
}

export async function prepareWorker(): Promise<PreparedWorker> {
	const start = performance.now();
	await writeScaleTemplates(SCALE_TEMPLATES_DIR);
	const registries = [
		// The real registry: the load test submits the seed's order. Checked against wrangler.toml's routes,
		// as in `npm run generate`.
		{ wranglerConfig: "wrangler.toml" },
		{ templatesDir: SHAPE_TEMPLATES_DIR, handlersDir: BENCH_HANDLERS_DIR, outFile: SHAPES_REGISTRY_FILE },
		{ templatesDir: SCALE_TEMPLATES_DIR, handlersDir: BENCH_HANDLERS_DIR, outFile: SCALE_REGISTRY_FILE },
	];
	let templates = 0;
	for (const options of registries) {
		const result = await generateRegistry(options);
		if (!result.ok) throw new Error(`invalid bench registry:\n${formatReport(result.problems).join("\n")}`);
		templates += result.templateCount;
	}
	return { templates, millis: performance.now() - start };
}
