// The billing handler Worker (examples/billing-worker): it has a handler for every step of the billing
// templates the orchestrator routes to it, and it is built on the public entry ("tasker-edge") alone.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import billingWorker from "../../examples/billing-worker/src/worker";
import { loadTemplates, PROJECT_ROOT } from "../../scripts/lib/load-project";

const EXAMPLE_SRC = join(PROJECT_ROOT, "examples", "billing-worker", "src");

describe("examples/billing-worker", () => {
	it("runs every handler that its templates (examples/billing-worker/templates) name", async () => {
		const { templates, problems } = await loadTemplates(
			PROJECT_ROOT,
			join(PROJECT_ROOT, "examples", "billing-worker", "templates"),
		);
		expect(templates.length).toBeGreaterThan(0);
		expect(problems).toEqual([]);
		const named = new Set(templates.flatMap((t) => t.template.steps.map((step) => step.callable)));
		const probe = (await (await billingWorker.fetch()).json()) as { status: string; handlers: string[] };
		expect(probe.status).toBe("healthy");
		expect(probe.handlers).toEqual([...named].sort());
	});

	it("imports only tasker-edge and its own modules", () => {
		const files = readdirSync(EXAMPLE_SRC, { recursive: true, withFileTypes: true })
			.filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
			.map((entry) => join(entry.parentPath, entry.name));
		expect(files.length).toBeGreaterThan(0);
		for (const file of files) {
			const specifiers = ts
				.preProcessFile(readFileSync(file, "utf8"), true, true)
				.importedFiles.map((f) => f.fileName);
			const foreign = specifiers.filter(
				(s) => s !== "tasker-edge" && !(resolve(dirname(file), s) + sep).startsWith(EXAMPLE_SRC + sep),
			);
			expect({ file, foreign }).toEqual({ file, foreign: [] });
		}
	});
});
