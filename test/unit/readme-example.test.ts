// Keeps the README true: its "Add a workflow" example (one YAML + one handler module) is extracted,
// validated like any project's templates, and run step by step through the real handler runner.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadProject, PROJECT_ROOT } from "../../scripts/lib/load-project";
import { runStepHandler } from "../../src/handler-api/run-step-handler";

const readme = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
const tmp = path.join(PROJECT_ROOT, "test", `.tmp-readme-${randomBytes(4).toString("hex")}`);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The body of the fenced block whose first line is `// path` or `# path`. */
function block(language: string, firstLine: string): string {
	const match = readme.match(new RegExp(`\`\`\`${language}\\n${firstLine}\\n([\\s\\S]*?)\`\`\``));
	if (!match?.[1]) throw new Error(`README has no ${language} block starting with ${firstLine}`);
	return match[1];
}

describe("the README's 'Add a workflow' example", () => {
	it("validates, and its handlers run: pack's result reaches ship", async () => {
		mkdirSync(path.join(tmp, "templates"), { recursive: true });
		mkdirSync(path.join(tmp, "handlers"), { recursive: true });
		writeFileSync(
			path.join(tmp, "templates", "ship_order.yaml"),
			block("yaml", "# templates/shipping/ship_order.yaml"),
		);
		writeFileSync(
			path.join(tmp, "handlers", "ship-order.ts"),
			block("ts", "// src/handlers/shipping/ship-order.ts"),
		);

		const project = await loadProject({
			templatesDir: path.join(tmp, "templates"),
			handlersDir: path.join(tmp, "handlers"),
		});
		expect(project.problems).toEqual([]);
		const template = project.templates[0]?.template;
		expect(template).toMatchObject({ name: "ship_order", namespace: "shipping", version: "1.0.0" });
		expect(template?.steps.map((s) => [s.name, s.dependencies])).toEqual([
			["pack", []],
			["ship", ["pack"]],
		]);

		const input = (step: string, context: Record<string, unknown>, dependency_results = {}) => ({
			task_uuid: "t",
			step_uuid: step,
			step_name: step,
			namespace: "shipping",
			task_name: "ship_order",
			task_version: "1.0.0",
			correlation_id: "c",
			callable: step,
			initialization: template?.steps.find((s) => s.name === step)?.initialization ?? {},
			context,
			dependency_results,
			attempt: 1,
			max_attempts: 5,
			timeout_seconds: 60,
		});
		const pack = project.handlers?.get("PackHandler");
		const ship = project.handlers?.get("ShipHandler");
		if (!pack || !ship) throw new Error("handlers not registered");
		const packed = await runStepHandler(pack, input("pack", { items: ["a"] }));
		expect(packed).toMatchObject({ success: true, result: { parcels: 1, warehouse: "AMS-1" } });
		const shipped = await runStepHandler(
			ship,
			input("ship", {}, { pack: packed.success ? packed.result : null }),
		);
		expect(shipped).toMatchObject({ success: true, result: { shipped: true, parcels: 1 } });
		const busy = await runStepHandler(ship, input("ship", { carrier_down: true }, { pack: { parcels: 1 } }));
		expect(busy).toMatchObject({ success: false, error: { retryable: true, retry_after_seconds: 30 } });
	});

	it("the README's validate message is what npm run validate prints for that typo", async () => {
		mkdirSync(path.join(tmp, "typo"), { recursive: true });
		writeFileSync(
			path.join(tmp, "typo", "ship_order.yaml"),
			block("yaml", "# templates/shipping/ship_order.yaml").replace(
				"dependencies: [pack]",
				"dependencies: [pak]",
			),
		);
		const project = await loadProject({
			templatesDir: path.join(tmp, "typo"),
			handlersDir: path.join(tmp, "handlers"),
		});
		const problem = project.problems[0];
		expect(`${problem?.path}: ${problem?.message}`).toBe(
			'steps[1].dependencies[0]: unknown step "pak" (did you mean "pack"?)',
		);
		expect(readme).toContain('steps[1].dependencies[0]: unknown step "pak" (did you mean "pack"?)');
	});
});
