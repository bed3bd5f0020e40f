// Builds the dashboard's static assets into public/ (served by Workers static assets, see
// wrangler.toml): the client script bundled from ui/ with its layout library (dagre), its styles, and
// Swagger UI's script and styles copied from the swagger-ui-dist package. No CDN: all of it is served
// by the Worker's own host, so every page works offline. Files are written only when they change.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "public", "ui", "assets");
mkdirSync(join(out, "swagger"), { recursive: true });

function writeIfChanged(path: string, content: string | Uint8Array): void {
	if (existsSync(path) && Buffer.compare(readFileSync(path), Buffer.from(content)) === 0) return;
	writeFileSync(path, content);
}

const bundle = await build({
	entryPoints: [join(root, "ui", "main.ts")],
	bundle: true,
	format: "esm",
	target: "es2022",
	minify: true,
	write: false,
	legalComments: "none",
	logLevel: "warning",
});
for (const file of bundle.outputFiles) writeIfChanged(join(out, "dashboard.js"), file.contents);
writeIfChanged(join(out, "dashboard.css"), readFileSync(join(root, "ui", "dashboard.css")));

const require = createRequire(import.meta.url);
const swagger = dirname(require.resolve("swagger-ui-dist/package.json"));
for (const name of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
	const target = join(out, "swagger", name);
	if (!existsSync(target) || readFileSync(target).length !== readFileSync(join(swagger, name)).length) {
		copyFileSync(join(swagger, name), target);
	}
}
console.log(
	`ui: ${join("public", "ui", "assets")} (dashboard.js ${Math.round(readFileSync(join(out, "dashboard.js")).length / 1024)} KB, swagger-ui)`,
);
