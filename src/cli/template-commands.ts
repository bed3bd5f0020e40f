// The `template` commands: the server's catalogue, one template, a YAML file checked by the server, the DAG.
import { readFile } from "node:fs/promises";
import type { Template } from "../client/client-types";
import { formatProblem } from "../templates/validate-template";
import type { CommandContext } from "./cli-client";
import { CliError, ExitCode } from "./exit-codes";
import { cell, formatFields, formatTable } from "./table";
import { renderLayers, renderMermaid, topologicalLayers } from "./template-graph";
import { jsonLines, wireCatalogue, wireTemplate } from "./wire-json";

export async function listTemplates(ctx: CommandContext, namespace?: string): Promise<ExitCode> {
	const catalogue = await ctx.client.listTemplates({ namespace });
	if (ctx.json) {
		print(ctx, jsonLines(wireCatalogue(catalogue)));
		return ExitCode.ok;
	}
	print(
		ctx,
		formatTable(
			["NAMESPACE", "NAME", "VERSION", "STEPS", "DESCRIPTION"],
			catalogue.templates.map((t) => [
				t.namespace,
				t.name,
				t.version,
				String(t.stepCount),
				cell(t.description),
			]),
		),
	);
	return ExitCode.ok;
}

export async function showTemplate(
	ctx: CommandContext,
	namespace: string,
	name: string,
	version?: string,
): Promise<ExitCode> {
	const template = await ctx.client.getTemplate(namespace, name, version);
	if (ctx.json) {
		print(ctx, jsonLines(wireTemplate(template)));
		return ExitCode.ok;
	}
	print(ctx, renderTemplate(template));
	return ExitCode.ok;
}

export function renderTemplate(template: Template): string[] {
	const header = formatFields([
		["template", `${template.namespace}/${template.name} ${template.version}`],
		["description", cell(template.description)],
	]);
	const steps = formatTable(
		["STEP", "HANDLER", "DEPENDS ON", "RETRY", "TIMEOUT"],
		template.steps.map((step) => [
			step.name,
			step.handler.callable,
			step.dependencies.length === 0 ? "-" : step.dependencies.join(", "),
			step.retry.retryable ? `${step.retry.maxAttempts}× ${step.retry.backoff}` : "no",
			`${step.timeoutSeconds}s`,
		]),
	);
	return [...header, "", ...steps];
}

/** Exit 5 with each problem as `file: path: message` (stderr), as `npm run validate` prints them. */
export async function validateTemplateFile(ctx: CommandContext, file: string): Promise<ExitCode> {
	let text: string;
	try {
		text = await readFile(file, "utf8");
	} catch (error) {
		throw new CliError(ExitCode.usage, `${file}: cannot read the file (${(error as Error).message})`);
	}
	// The server refuses an empty body as a bad request (exit 1); an empty file is a template problem (5).
	const validation =
		text.trim() === ""
			? {
					valid: false as const,
					problems: [{ path: "", message: "the file is empty: expected a YAML task template" }],
				}
			: await ctx.client.validateTemplate(text);
	if (ctx.json) {
		const body = validation.valid ? { valid: true, template: wireTemplate(validation.template) } : validation;
		print(ctx, jsonLines(body));
	}
	if (!validation.valid) {
		for (const problem of validation.problems) ctx.output.err(formatProblem(file, problem));
		ctx.output.err(`${validation.problems.length} problem(s) in 1 file(s)`);
		return ExitCode.invalidTemplate;
	}
	const t = validation.template;
	if (!ctx.json)
		ctx.output.out(`${file}: valid (${t.namespace}/${t.name} ${t.version}, ${t.steps.length} steps)`);
	return ExitCode.ok;
}

export async function graphTemplate(
	ctx: CommandContext,
	args: { namespace: string; name: string; version?: string; mermaid?: boolean },
): Promise<ExitCode> {
	const template = await ctx.client.getTemplate(args.namespace, args.name, args.version);
	if (args.mermaid) {
		print(ctx, renderMermaid(template.steps));
	} else if (ctx.json) {
		const edges = template.steps.flatMap((s) => s.dependencies.map((dep) => ({ from: dep, to: s.name })));
		// Dynamic steps are marked with their type (a template without any reads as before).
		const types = Object.fromEntries(
			template.steps
				.filter((s) => s.type !== undefined && s.type !== "standard")
				.map((s) => [s.name, s.type]),
		);
		const marks = Object.keys(types).length === 0 ? {} : { types };
		print(ctx, jsonLines({ layers: topologicalLayers(template.steps), edges, ...marks }));
	} else {
		ctx.output.out(`${template.namespace}/${template.name} ${template.version}`);
		print(ctx, renderLayers(template.steps));
	}
	return ExitCode.ok;
}

function print(ctx: CommandContext, lines: readonly string[]): void {
	for (const line of lines) ctx.output.out(line);
}
