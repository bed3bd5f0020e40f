// The package test's one build: `npm run build` (esbuild, then tsc for the declarations: the slow part)
// runs only when something it reads has changed since the last build this clone made; otherwise the
// dist/ already there is packed as it is. The fingerprint covers every input of the build (the sources,
// the task object's types the declarations reach, the configs, the build script, the lockfile), so a
// stale dist/ is never packed. Kept under node_modules/.cache: never in the package, never committed.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { promisify } from "node:util";

const INPUT_DIRS = ["src", "durable-objects", "bin"];
const INPUT_FILES = [
	"package.json",
	"package-lock.json",
	"tsconfig.json",
	"tsconfig.build.json",
	"worker-configuration.d.ts",
	"scripts/build-package.ts",
	"scripts/lib/load-project.ts",
];
const OUTPUTS = ["dist/cli.js", "dist/index.js", "dist/client/index.js", "dist/types/src/index.d.ts"];

async function filesUnder(root: string, dir: string): Promise<string[]> {
	const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
	return entries
		.filter((e) => e.isFile())
		.map((e) => relative(root, join(e.parentPath, e.name)))
		.sort();
}

/** A digest of every file the build reads, by path and content. */
export async function buildFingerprint(root: string): Promise<string> {
	const files = [
		...(
			await Promise.all(INPUT_DIRS.filter((d) => existsSync(join(root, d))).map((d) => filesUnder(root, d)))
		).flat(),
		...INPUT_FILES.filter((f) => existsSync(join(root, f))),
	].sort();
	const hash = createHash("sha256");
	for (const file of files) {
		hash.update(`${file}\0`);
		hash.update(await readFile(join(root, file)));
		hash.update("\0");
	}
	return hash.digest("hex");
}

/** Builds dist/ unless the last build was of these very inputs; says which it did. */
export async function ensurePackageBuild(root: string): Promise<"built" | "reused"> {
	const stampFile = join(root, "node_modules", ".cache", "tasker-edge-package-build.txt");
	const fingerprint = await buildFingerprint(root);
	const stamp = existsSync(stampFile) ? (await readFile(stampFile, "utf8")).trim() : null;
	if (stamp === fingerprint && OUTPUTS.every((f) => existsSync(join(root, f)))) return "reused";
	await promisify(execFile)("npm", ["run", "build"], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
	await mkdir(join(root, "node_modules", ".cache"), { recursive: true });
	await writeFile(stampFile, `${fingerprint}\n`);
	return "built";
}
