// Architecture: handler modules see only the public API ("tasker-edge") and each other, and the public entry
// exposes the handler API and nothing of the engine.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as publicApi from "tasker-edge";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const HANDLERS_DIR = join(ROOT, "src", "handlers");

function tsFilesUnder(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
		.map((entry) => join(entry.parentPath, entry.name))
		.sort();
}

/** Every module specifier of a source: static imports and re-exports, `import()` and `require()`. */
function importSpecifiers(source: string): string[] {
	return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
}

/** The specifiers a handler module may not use: anything but "tasker-edge" or a path inside src/handlers. */
function forbiddenHandlerImports(file: string, source: string): string[] {
	return importSpecifiers(source).filter((specifier) => {
		if (specifier === "tasker-edge") return false;
		if (!specifier.startsWith("./") && !specifier.startsWith("../")) return true;
		const target = resolve(dirname(file), specifier);
		return !(target + sep).startsWith(HANDLERS_DIR + sep);
	});
}

describe("handler modules", () => {
	const files = tsFilesUnder(HANDLERS_DIR);

	it("exist (the seed's order handlers at least)", () => {
		expect(files.map((file) => relative(ROOT, file))).toEqual(
			expect.arrayContaining([join("src", "handlers", "order", "validate-order.ts")]),
		);
	});

	it.each(files.map((file) => [relative(ROOT, file), file]))(
		"%s imports only tasker-edge and other handler modules",
		(_name, file) => {
			expect(forbiddenHandlerImports(file, readFileSync(file, "utf8"))).toEqual([]);
		},
	);

	it("the check catches engine, Node, package and escaping imports, in every syntax", () => {
		const file = join(HANDLERS_DIR, "order", "example.ts");
		const source = [
			'import { StepHandler } from "tasker-edge";',
			'import { deterministicId } from "./order-ids";',
			'import type { X } from "../common/types";',
			'import { runStepHandler } from "../../handler-api/run-step-handler";',
			'import type { StepRunInput } from "../../core/step-outcome";',
			'export { MAX_STEP_RESULT_BYTES } from "../../limits";',
			'import { readFileSync } from "node:fs";',
			'import "zod";',
			'const lazy = await import("hono");',
			'const old = require("yaml");',
			'import { StepContext } from "../../index";',
		].join("\n");
		expect(forbiddenHandlerImports(file, source)).toEqual([
			"../../handler-api/run-step-handler",
			"../../core/step-outcome",
			"../../limits",
			"node:fs",
			"zod",
			"hono",
			"yaml",
			"../../index",
		]);
	});
});

describe("the public entry (tasker-edge)", () => {
	it("exports the handler API, a handler Worker's entry, and nothing of the engine", () => {
		// The reference SDK's handler API (classes, functional handlers, decision/batch/API helpers, domain events).
		expect(Object.keys(publicApi).sort()).toEqual([
			"APIMixin",
			"ApiHandler",
			"ApiResponse",
			"BasePublisher",
			"BaseSubscriber",
			"BatchableMixin",
			"BatchableStepHandler",
			"Decision",
			"DecisionHandler",
			"DecisionMixin",
			"DecisionStepHandler",
			"DecisionType",
			"DefaultPublisher",
			"DuplicatePublisherError",
			"ErrorType",
			"PermanentError",
			"PublisherNotFoundError",
			"PublisherRegistry",
			"PublisherValidationError",
			"RegistryFrozenError",
			"RetryableError",
			"StepContext",
			"StepError",
			"StepHandler",
			"StepHandlerResult",
			"SubscriberRegistry",
			"aggregateBatchResults",
			"applyAPI",
			"applyBatchable",
			"applyDecision",
			"createBatchWorkerContext",
			"createBatches",
			"createDomainEvent",
			"createHandlerWorker",
			"createStepEventContext",
			"defineApiHandler",
			"defineBatchAnalyzer",
			"defineBatchWorker",
			"defineDecisionHandler",
			"defineHandler",
			"detectAggregationScenario",
			"isCreateBatches",
			"isNoBatches",
			"isStandardErrorType",
			"isTypicallyRetryable",
			"noBatches",
			"parseRetryAfter",
		]);
	});
});

describe("Worker-side modules", () => {
	// The handler registry is also loaded in Node by the registry generator: no Cloudflare-only modules either.
	const rules: Array<[string, string[]]> = [
		...tsFilesUnder(join(ROOT, "src", "handler-api")).map((file): [string, string[]] => [file, ["node:"]]),
		...tsFilesUnder(join(ROOT, "src", "registry")).map((file): [string, string[]] => [file, ["node:"]]),
		[join(ROOT, "src", "index.ts"), ["node:"]],
		[join(ROOT, "src", "registry", "handler-registry.ts"), ["node:", "cloudflare:"]],
	];

	it.each(rules.map(([file, banned]) => [relative(ROOT, file), file, banned] as const))(
		"%s imports no platform-bound module",
		(_name, file, banned) => {
			const platformImports = importSpecifiers(readFileSync(file, "utf8")).filter((specifier) =>
				banned.some((prefix) => specifier.startsWith(prefix)),
			);
			expect(platformImports).toEqual([]);
		},
	);
});
