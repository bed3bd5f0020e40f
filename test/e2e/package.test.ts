// The package as a user gets it: `npm pack`, the tarball installed into an empty folder, then its
// `tasker` bin run and its exports imported with plain Node: no tsx, no sources. dist/ is built once
// per change of its inputs (test/support/package-build-cache.ts) and packed without its prepack build
// running again.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../scripts/lib/load-project";
import { ensurePackageBuild } from "../support/package-build-cache";

const run = promisify(execFile);
let dir: string | undefined;

afterAll(async () => {
	if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the packed package", () => {
	it("installs from its tarball into an empty folder; `tasker --help` and the exports run without tsx", {
		timeout: 240_000,
	}, async () => {
		dir = await mkdtemp(join(tmpdir(), "tasker-pack-"));
		const build = await ensurePackageBuild(PROJECT_ROOT);
		process.stdout.write(`\npackage test: dist/ ${build}\n`);
		const packed = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
			cwd: PROJECT_ROOT,
			maxBuffer: 16 * 1024 * 1024,
		});
		const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as Array<{
			filename: string;
			files: Array<{ path: string }>;
		}>;
		if (!info) throw new Error(`npm pack said nothing: ${packed.stdout}`);
		const files = info.files.map((f) => f.path);
		// JavaScript and declarations, no TypeScript sources.
		expect(files).toContain("dist/cli.js");
		expect(files).toContain("dist/index.js");
		expect(files).toContain("dist/types/src/index.d.ts");
		expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);

		const app = join(dir, "app");
		await run("mkdir", ["-p", app]);
		await writeFile(
			join(app, "package.json"),
			JSON.stringify({ name: "app", private: true, type: "module" }),
		);
		// From npm's cache when it has the dependencies (they are the project's own): no network needed then.
		await run(
			"npm",
			[
				"install",
				"--prefer-offline",
				"--no-audit",
				"--no-fund",
				"--no-package-lock",
				"--ignore-scripts",
				"--omit=dev",
				join(dir, info.filename),
			],
			{ cwd: app, maxBuffer: 16 * 1024 * 1024 },
		);
		const installed = join(app, "node_modules", "tasker-edge");
		expect(existsSync(join(app, "node_modules", "tsx"))).toBe(false);
		expect(existsSync(join(installed, "src"))).toBe(false);

		const help = await run(join(app, "node_modules", ".bin", "tasker"), ["--help"], { cwd: app });
		expect(help.stdout).toMatch(/Usage: tasker/);
		expect(help.stdout).toMatch(/task/);

		// The exports: JavaScript, each with its declarations.
		const manifest = JSON.parse(await readFile(join(installed, "package.json"), "utf8")) as {
			exports: Record<string, { types: string; default: string }>;
		};
		for (const [entry, target] of Object.entries(manifest.exports)) {
			expect(target.default, entry).toMatch(/\.js$/);
			expect(existsSync(join(installed, target.default)), entry).toBe(true);
			expect(existsSync(join(installed, target.types)), entry).toBe(true);
		}
		const imported = await run(
			"node",
			[
				"--input-type=module",
				"-e",
				'const c = await import("tasker-edge/client"); const s = await import("tasker-edge"); console.log(typeof c.TaskerClient, typeof s.StepHandler, typeof s.createHandlerWorker);',
			],
			{ cwd: app },
		);
		expect(imported.stdout.trim()).toBe("function function function");
		expect((await readdir(join(installed, "dist"))).sort()).toEqual(
			expect.arrayContaining(["cli.js", "index.js"]),
		);
	});
});
