// The pure core holds: nothing under src/core, nor anything it imports, reaches Cloudflare, Hono or Node,
// or reads the clock, randomness or crypto by itself (time, random numbers and ids are passed in). The
// imports are read with the TypeScript parser; a failure names the file, the import and how it was reached.
// Biome's override for src/core (biome.json) flags the same imports and globals as you type.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../scripts/lib/load-project";
import {
	checkPurity,
	cyclesBackInto,
	describeViolation,
	forbiddenModule,
	importsOf,
	impureGlobalsOf,
	tsFilesUnder,
} from "../support/import-boundaries";

const CORE = join(PROJECT_ROOT, "src", "core");

describe("the pure core (src/core)", () => {
	it("imports nothing of Cloudflare, Hono or Node and reads no clock, randomness or crypto", () => {
		const files = tsFilesUnder(CORE);
		expect(files.length).toBeGreaterThan(20);
		expect(checkPurity(PROJECT_ROOT, files).map(describeViolation)).toEqual([]);
	});

	it("is at the bottom: nothing it imports from another folder imports the core back (no folder cycle)", () => {
		expect(cyclesBackInto(PROJECT_ROOT, CORE)).toEqual([]);
		// The check itself sees a cycle where there is one (core → templates → core, as it was).
		const root = mkdtempSync(join(tmpdir(), "boundaries-"));
		try {
			mkdirSync(join(root, "core"));
			mkdirSync(join(root, "templates"));
			writeFileSync(
				join(root, "core", "lifecycle.ts"),
				'import type { T } from "../templates/task-template";\n',
			);
			writeFileSync(join(root, "core", "states.ts"), "export const S = 1;\n");
			writeFileSync(join(root, "templates", "task-template.ts"), 'import { S } from "../core/states";\n');
			expect(cyclesBackInto(root, join(root, "core"))).toEqual([
				"templates/task-template.ts imports core/states.ts (line 1)",
			]);
		} finally {
			rmSync(root, { recursive: true, force: true });
		}
	});
});

describe("the boundary checker", () => {
	it("finds every kind of import, type-only ones too", () => {
		const text = `
			import { Hono } from "hono";
			import type { D1Database } from "@cloudflare/workers-types";
			export { x } from "./x";
			export type { Y } from "../y";
			const fs = await import("node:fs");
			const path = require("path");
			type Env = import("cloudflare:workers").Env;
		`;
		expect(importsOf("a.ts", text).map((i) => [i.specifier, i.typeOnly])).toEqual([
			["hono", false],
			["@cloudflare/workers-types", true],
			["./x", false],
			["../y", true],
			["node:fs", false],
			["path", false],
			["cloudflare:workers", true],
		]);
	});

	it("names what each forbidden module is, and lets pure libraries and relative modules through", () => {
		expect(forbiddenModule("cloudflare:workers")).toBe("Cloudflare's runtime");
		expect(forbiddenModule("@cloudflare/vitest-plugin")).toBe("Cloudflare's tooling");
		expect(forbiddenModule("hono/http-exception")).toBe("Hono");
		expect(forbiddenModule("@hono/zod-openapi")).toBe("Hono");
		expect(forbiddenModule("node:crypto")).toBe("Node");
		expect(forbiddenModule("fs/promises")).toBe("Node");
		for (const allowed of ["zod", "yaml", "semver", "./states", "../limits"])
			expect(forbiddenModule(allowed)).toBeNull();
	});

	it("finds the clock, randomness and crypto read as globals, not a time passed in", () => {
		const text = `
			const now = Date.now();
			const r = Math.random();
			const id = crypto.randomUUID();
			const t = new Date();
			const formatted = new Date(at).toISOString();
			const crypto2 = { crypto: 1 }.crypto;
			function f(now: number) { return now; }
		`;
		expect(impureGlobalsOf("a.ts", text).map((u) => `${u.what}@${u.line}`)).toEqual([
			"Date.now@2",
			"Math.random@3",
			"crypto@4",
			"new Date()@5",
		]);
	});

	it("follows relative imports out of the folder and reports the chain that reached a bad module", () => {
		// The shell, checked as if it were core: it must fail, naming the file and the import.
		const shell = join(PROJECT_ROOT, "src", "http", "submit-task.ts");
		const found = checkPurity(PROJECT_ROOT, [shell]).map(describeViolation);
		expect(found.some((line) => /^src\/.*imports "(hono|@hono)/.test(line))).toBe(true);
		expect(found.some((line) => line.includes("reached from src/http/submit-task.ts"))).toBe(true);
		expect(found.some((line) => line.startsWith("src/identity-hash.ts uses crypto"))).toBe(true);
	});
});
