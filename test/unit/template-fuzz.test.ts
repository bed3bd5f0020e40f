// Fuzzing the template loader (validateTemplateText) and POST /v1/templates/validate: random text,
// soups of YAML's special constructs, hostile documents and near-valid templates with a field wrong.
// It never throws, answers in time, returns a template or problems that each say where and what, a
// template it accepts is sound (unique names, known dependencies, no cycle) and validates again to
// itself, and the route answers 200 (or a 4xx for an unusable body), never a 5xx.
// FUZZ_RUNS=N (npm run fuzz) runs more; FUZZ_SEED=S replays.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { StepHandler } from "../../src/handler-api/step-handler";
import { StepHandlerResult } from "../../src/handler-api/step-handler-result";
import { createApp } from "../../src/http/app";
import { buildHandlerRegistry } from "../../src/registry/handler-registry";
import { TemplateRegistry } from "../../src/registry/template-registry";
import type { TaskTemplate } from "../../src/templates/task-template";
import { type TemplateValidation, validateTemplateText } from "../../src/templates/validate-template";
import {
	hostileYamlArbitrary,
	nearValidTemplateYaml,
	randomTextArbitrary,
	templateToYaml,
	yamlSoupArbitrary,
} from "../support/fuzz/template-arbitraries";
import { dagTemplate } from "../support/template-builders";

const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
/** Per document: a 1 MB template parses in about a second here; a hang takes minutes. */
const TIME_LIMIT_MS = Number(process.env.FUZZ_TEMPLATE_MS ?? 5_000);
const TEST_TIME_LIMIT_MS = 60_000 + RUNS * 100;
const options = { numRuns: RUNS, seed: SEED };

const knownHandlers: ReadonlySet<string> = new Set(["Handler_a", "Handler_b"]);
const handlers = buildHandlerRegistry([
	{
		path: "test/fuzz-handlers.ts",
		exports: Object.fromEntries(
			[...knownHandlers].map((name) => [
				name,
				class extends StepHandler {
					static override handlerName = name;
					call() {
						return StepHandlerResult.success({});
					}
				},
			]),
		),
	},
]);
const app = createApp(new TemplateRegistry([dagTemplate({ a: [] })]), handlers);

const figures = { documents: 0, valid: 0, problems: 0, slowestMs: 0, viaHttp: 0 };

/** Every broken property of one validation; empty when it is all right. */
function violations(result: TemplateValidation): string[] {
	if (result.ok) return soundness(result.template);
	if (result.problems.length === 0) return ["no template and no problem"];
	return result.problems.flatMap((problem, i) => {
		const bad: string[] = [];
		if (Object.keys(problem).sort().join() !== "message,path")
			bad.push(`problem ${i} has keys ${Object.keys(problem)}`);
		if (typeof problem.path !== "string") bad.push(`problem ${i} has no string path`);
		if (typeof problem.message !== "string" || problem.message.trim() === "")
			bad.push(`problem ${i} has no message`);
		if (/\n\s+at |node_modules|Maximum call stack/.test(problem.message))
			bad.push(`problem ${i} shows internals`);
		return bad;
	});
}

/** What an accepted template must be: plain data, unique step names, known dependencies, no cycle. */
function soundness(template: TaskTemplate): string[] {
	const bad: string[] = [];
	try {
		JSON.stringify(template);
	} catch (error) {
		return [`the template is not plain data: ${(error as Error).message}`];
	}
	const names = template.steps.map((step) => step.name);
	if (new Set(names).size !== names.length) bad.push(`duplicate step names accepted: ${names}`);
	const known = new Set(names);
	for (const step of template.steps) {
		for (const dependency of step.dependencies) {
			if (dependency === step.name) bad.push(`step ${step.name} depends on itself`);
			if (!known.has(dependency)) bad.push(`step ${step.name} depends on unknown ${dependency}`);
		}
		if (!knownHandlers.has(step.callable)) bad.push(`unregistered handler ${step.callable} accepted`);
	}
	// Kahn's algorithm: every step must come out, or some are on a cycle.
	const waiting = new Map(template.steps.map((step) => [step.name, new Set(step.dependencies)]));
	let progress = true;
	while (progress) {
		progress = false;
		for (const [name, dependencies] of waiting) {
			if ([...dependencies].every((d) => !waiting.has(d))) {
				waiting.delete(name);
				progress = true;
			}
		}
	}
	if (waiting.size > 0) bad.push(`a dependency cycle accepted among ${[...waiting.keys()]}`);
	// Validating the normalised template, written back as YAML, gives the same template.
	const again = validateTemplateText(templateToYaml(template), { knownHandlers });
	if (!again.ok) bad.push(`written back, it is refused: ${JSON.stringify(again.problems).slice(0, 300)}`);
	else if (JSON.stringify(again.template) !== JSON.stringify(template))
		bad.push("written back, it validates to a different template");
	return bad;
}

function check(text: string): void {
	const started = performance.now();
	let result: TemplateValidation;
	try {
		result = validateTemplateText(text, { knownHandlers });
	} catch (error) {
		throw new Error(`threw ${(error as Error).stack}`);
	}
	const ms = performance.now() - started;
	figures.documents += 1;
	figures.slowestMs = Math.max(figures.slowestMs, ms);
	if (result.ok) figures.valid += 1;
	else figures.problems += 1;
	const bad = violations(result);
	if (ms > TIME_LIMIT_MS) bad.push(`took ${Math.round(ms)} ms`);
	if (bad.length > 0) throw new Error(`${bad.join("\n")}\nfor ${JSON.stringify(text.slice(0, 400))}`);
}

/** A document printed clipped in a counterexample: a 200 KB one would bury the report. */
const clipped = (arbitrary: fc.Arbitrary<string>) =>
	arbitrary.map((text) => ({
		text,
		[fc.toStringMethod]: () =>
			text.length > 300
				? `${JSON.stringify(text.slice(0, 300))}… (${text.length} chars)`
				: JSON.stringify(text),
	}));

describe("fuzzing the template loader", () => {
	it(
		`random text (${RUNS} documents): never throws, a template or located problems`,
		() => {
			fc.assert(fc.property(randomTextArbitrary, check), options);
		},
		TEST_TIME_LIMIT_MS,
	);

	it(
		`soups of YAML's special constructs (${RUNS} documents): anchors, tags, directives, indicators`,
		() => {
			fc.assert(fc.property(yamlSoupArbitrary, check), options);
		},
		TEST_TIME_LIMIT_MS,
	);

	it(
		`near-valid templates with a field wrong (${RUNS} documents): an accepted one is sound and validates again to itself`,
		() => {
			const before = figures.valid;
			fc.assert(fc.property(nearValidTemplateYaml, check), options);
			// The generator reaches both verdicts, or the soundness check proves nothing.
			expect(figures.valid - before).toBeGreaterThan(0);
		},
		TEST_TIME_LIMIT_MS,
	);

	it(
		`hostile documents (${Math.ceil(RUNS / 10)}): alias bombs and chains, self-containing aliases, deep nesting, huge sizes, all in time`,
		() => {
			fc.assert(
				fc.property(clipped(hostileYamlArbitrary), (doc) => check(doc.text)),
				{
					...options,
					numRuns: Math.ceil(RUNS / 10),
				},
			);
		},
		TEST_TIME_LIMIT_MS,
	);

	it(
		`through POST /v1/templates/validate (${Math.ceil(RUNS / 2)} bodies): 200 with a template or problems, never a 5xx`,
		async () => {
			const body = clipped(
				fc.oneof(randomTextArbitrary, yamlSoupArbitrary, nearValidTemplateYaml, hostileYamlArbitrary),
			);
			const asJson = fc.boolean();
			await fc.assert(
				fc.asyncProperty(body, asJson, async ({ text }, json) => {
					const response = await app.request("/v1/templates/validate", {
						method: "POST",
						headers: { "content-type": json ? "application/json" : "text/yaml" },
						body: json ? JSON.stringify({ yaml: text }) : text,
					});
					figures.viaHttp += 1;
					const answer = (await response.json()) as Record<string, unknown>;
					if (response.status === 200) {
						const valid = answer.valid === true && typeof answer.template === "object";
						const invalid =
							answer.valid === false && Array.isArray(answer.problems) && answer.problems.length > 0;
						expect(valid || invalid, JSON.stringify(answer).slice(0, 300)).toBe(true);
						return;
					}
					// Only a request the route cannot use: an empty or blank body, or one over the size limit.
					expect([400, 413], JSON.stringify(answer).slice(0, 300)).toContain(response.status);
					expect(Object.keys(answer)).toEqual(["error"]);
					if (response.status === 400) expect(text.trim()).toBe("");
				}),
				{ ...options, numRuns: Math.ceil(RUNS / 2) },
			);
		},
		TEST_TIME_LIMIT_MS,
	);
});

afterAll(() => {
	// Written straight to stdout: the unit tier hides console output of passing tests.
	process.stdout.write(
		`\ntemplate fuzz: ${figures.documents} documents (${figures.valid} valid, ${figures.problems} with problems), ` +
			`slowest ${Math.round(figures.slowestMs)} ms; ${figures.viaHttp} through POST /v1/templates/validate\n`,
	);
});
