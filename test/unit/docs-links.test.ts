// Keeps the documentation navigable for someone who clones the repository: every relative link in every
// Markdown file resolves to a file of the repository (and, with a #fragment, to a heading of that page),
// and no file points at a place that exists only on the machine it was written on.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../scripts/lib/load-project";

const SKIPPED_DIRS = new Set(["node_modules", ".git", ".wrangler", "generated"]);

function walk(dir: string, out: string[] = []): string[] {
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		if (entry.name.startsWith(".tmp") || SKIPPED_DIRS.has(entry.name)) continue;
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) walk(full, out);
		else out.push(full);
	}
	return out;
}

const files = walk(PROJECT_ROOT).map((file) => path.relative(PROJECT_ROOT, file));
const markdown = files.filter((file) => file.endsWith(".md"));

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(text: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	let inFence = false;
	for (const line of text.split("\n")) {
		if (line.startsWith("```")) inFence = !inFence;
		const heading = inFence ? null : /^#{1,6} (.*)$/.exec(line);
		if (!heading?.[1]) continue;
		const base = heading[1]
			.toLowerCase()
			.replace(/[^\p{L}\p{N} _-]/gu, "")
			.replace(/ /g, "-");
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		anchors.add(count === 0 ? base : `${base}-${count}`);
	}
	return anchors;
}

/** Inline links and images outside code fences: `[text](target)`. */
function linksOf(text: string): string[] {
	const links: string[] = [];
	let inFence = false;
	for (const line of text.split("\n")) {
		if (line.startsWith("```")) inFence = !inFence;
		if (inFence) continue;
		for (const match of line.replace(/`[^`]*`/g, "").matchAll(/\]\(([^)\s]+)\)/g)) {
			if (match[1]) links.push(match[1]);
		}
	}
	return links;
}

describe("documentation links", () => {
	it("finds the Markdown pages (README and docs/)", () => {
		expect(markdown).toContain("README.md");
		expect(markdown.filter((file) => file.startsWith(`docs${path.sep}`)).length).toBeGreaterThan(3);
	});

	it("every relative link resolves to a file of the repository, and every #fragment to a heading", () => {
		const broken: string[] = [];
		for (const file of markdown) {
			const text = readFileSync(path.join(PROJECT_ROOT, file), "utf8");
			for (const link of linksOf(text)) {
				if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // http:, https:, mailto:
				const [target = "", fragment] = link.split("#", 2);
				const resolved = target === "" ? file : path.normalize(path.join(path.dirname(file), target));
				if (resolved.startsWith("..")) {
					broken.push(`${file}: ${link} leaves the repository`);
					continue;
				}
				const absolute = path.join(PROJECT_ROOT, resolved);
				let exists = true;
				try {
					statSync(absolute);
				} catch {
					exists = false;
				}
				if (!exists) {
					broken.push(`${file}: ${link} (no file ${resolved})`);
					continue;
				}
				if (fragment !== undefined && resolved.endsWith(".md")) {
					const anchors = anchorsOf(readFileSync(absolute, "utf8"));
					if (!anchors.has(fragment))
						broken.push(`${file}: ${link} (no heading #${fragment} in ${resolved})`);
				}
			}
		}
		expect(broken).toEqual([]);
	});

	it("the README stays a short front door", () => {
		const lines = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8").split("\n").length;
		expect(lines).toBeLessThanOrEqual(220);
	});

	it("no file outside the tests refers to the build machine's paths or to documents outside the repository", () => {
		const machinePath = /\.\.\/shared\/|\/work\/|\/tmp\/[a-z]/;
		const offenders = files
			.filter((file) => !file.startsWith(`test${path.sep}`))
			.filter((file) => !["package-lock.json", "worker-configuration.d.ts"].includes(file))
			.filter(
				(file) => /\.(ts|tsx|mjs|js|json|md|toml|yaml|yml|py|txt|sh)$/.test(file) || !path.extname(file),
			)
			.filter((file) => statSync(path.join(PROJECT_ROOT, file)).size < 2_000_000)
			.filter((file) => machinePath.test(readFileSync(path.join(PROJECT_ROOT, file), "utf8")));
		expect(offenders).toEqual([]);
	});
});
