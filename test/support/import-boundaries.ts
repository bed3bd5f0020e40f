// Reads what a TypeScript file imports and which impure globals it touches, with the TypeScript parser
// (not a regular expression): for the boundary tests of the pure core (test/unit/core-boundaries.test.ts).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

export interface ModuleImport {
	specifier: string;
	/** `import type` / `export type`: erased at runtime, but still a dependency of the module. */
	typeOnly: boolean;
	line: number;
}

/** Every module a source text names: imports, re-exports, `import("x")`, `require("x")`, `import("x").T` types. */
export function importsOf(fileName: string, text: string): ModuleImport[] {
	const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
	const found: ModuleImport[] = [];
	const add = (node: ts.Node, specifier: ts.Expression | undefined, typeOnly: boolean) => {
		if (specifier && ts.isStringLiteralLike(specifier)) {
			const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
			found.push({ specifier: specifier.text, typeOnly, line });
		}
	};
	const visit = (node: ts.Node) => {
		if (ts.isImportDeclaration(node)) add(node, node.moduleSpecifier, node.importClause?.isTypeOnly ?? false);
		else if (ts.isExportDeclaration(node)) add(node, node.moduleSpecifier, node.isTypeOnly);
		else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
			add(node, node.moduleReference.expression, node.isTypeOnly);
		else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument))
			add(node, node.argument.literal as ts.Expression, true);
		else if (
			ts.isCallExpression(node) &&
			(node.expression.kind === ts.SyntaxKind.ImportKeyword ||
				(ts.isIdentifier(node.expression) && node.expression.text === "require"))
		)
			add(node, node.arguments[0], false);
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

/** Why a module may not be imported by the pure core, or null if it may. */
export function forbiddenModule(specifier: string): string | null {
	if (specifier.startsWith("cloudflare:")) return "Cloudflare's runtime";
	if (/^(@cloudflare\/|wrangler$|miniflare$)/.test(specifier)) return "Cloudflare's tooling";
	if (/^(hono$|hono\/|@hono\/)/.test(specifier)) return "Hono";
	if (specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0] ?? "")) return "Node";
	return null;
}

export interface ImpureUse {
	what: string;
	line: number;
}

/** Clocks, randomness and crypto reached as globals: the core gets time, random numbers and ids passed in. */
export function impureGlobalsOf(fileName: string, text: string): ImpureUse[] {
	const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
	const found: ImpureUse[] = [];
	const at = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
	const visit = (node: ts.Node) => {
		if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
			const call = `${node.expression.text}.${node.name.text}`;
			if (["Date.now", "Math.random", "performance.now"].includes(call))
				found.push({ what: call, line: at(node) });
		}
		// `new Date()` and `Date()` read the clock; `new Date(ms)` only formats a time passed in.
		if (
			(ts.isNewExpression(node) || ts.isCallExpression(node)) &&
			ts.isIdentifier(node.expression) &&
			node.expression.text === "Date" &&
			(node.arguments?.length ?? 0) === 0
		)
			found.push({ what: ts.isNewExpression(node) ? "new Date()" : "Date()", line: at(node) });
		if (ts.isIdentifier(node) && ["crypto", "performance"].includes(node.text) && isGlobalReference(node))
			found.push({ what: node.text, line: at(node) });
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

/** An identifier read as a value, not a property name, a declaration or a type. */
function isGlobalReference(node: ts.Identifier): boolean {
	const parent = node.parent;
	if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
	if (ts.isPropertyAssignment(parent) && parent.name === node) return false;
	if (ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent))
		return parent.name !== node;
	if (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent))
		return parent.name !== node;
	if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isTypeReferenceNode(parent))
		return false;
	return true;
}

/** The .ts file a relative specifier names (`./x` → x.ts or x/index.ts), or null. */
export function resolveRelative(fromFile: string, specifier: string): string | null {
	const base = resolve(dirname(fromFile), specifier);
	for (const candidate of [base, `${base}.ts`, join(base, "index.ts")]) {
		if (candidate.endsWith(".ts") && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
	}
	return null;
}

/** Every .ts file under a folder, sorted. */
export function tsFilesUnder(dir: string): string[] {
	return readdirSync(dir, { recursive: true, encoding: "utf8" })
		.filter((name) => name.endsWith(".ts"))
		.map((name) => join(dir, name))
		.sort();
}

export interface BoundaryViolation {
	/** The file (relative to the root) that breaks the rule, with the chain of imports that reached it. */
	file: string;
	via: string[];
	problem: string;
}

/**
 * Checks the given files and everything they import relatively (their runtime closure: the core may
 * use a pure module outside its folder, such as the limits, but then that module must be pure too).
 */
export function checkPurity(root: string, entryFiles: readonly string[]): BoundaryViolation[] {
	const violations: BoundaryViolation[] = [];
	const seen = new Set<string>();
	const queue = entryFiles.map((file) => ({ file, via: [] as string[] }));
	while (queue.length > 0) {
		const next = queue.shift();
		if (!next || seen.has(next.file)) continue;
		seen.add(next.file);
		const rel = relative(root, next.file);
		const text = readFileSync(next.file, "utf8");
		for (const imported of importsOf(next.file, text)) {
			if (imported.specifier.startsWith(".")) {
				const target = resolveRelative(next.file, imported.specifier);
				if (target === null)
					violations.push({
						file: rel,
						via: next.via,
						problem: `imports "${imported.specifier}" (line ${imported.line}), which does not resolve`,
					});
				else queue.push({ file: target, via: [...next.via, rel] });
				continue;
			}
			const why = forbiddenModule(imported.specifier);
			if (why)
				violations.push({
					file: rel,
					via: next.via,
					problem: `imports "${imported.specifier}" (${why}, line ${imported.line})`,
				});
		}
		for (const use of impureGlobalsOf(next.file, text))
			violations.push({
				file: rel,
				via: next.via,
				problem: `uses ${use.what} (line ${use.line}): pass it in`,
			});
	}
	return violations;
}

/** One line per violation, for a failure message that names the file and the import. */
export function describeViolation(v: BoundaryViolation): string {
	return v.via.length > 0
		? `${v.file} ${v.problem}, reached from ${v.via.join(" → ")}`
		: `${v.file} ${v.problem}`;
}

/**
 * Files outside `dir` that the files of `dir` import (directly or not) and that import `dir` back: each
 * is a cycle between folders (say core → templates → core), named with the import that closes it.
 */
export function cyclesBackInto(root: string, dir: string): string[] {
	const inside = (file: string) => !relative(dir, file).startsWith("..");
	const found: string[] = [];
	const seen = new Set<string>();
	const queue = tsFilesUnder(dir);
	while (queue.length > 0) {
		const file = queue.shift() as string;
		if (seen.has(file)) continue;
		seen.add(file);
		for (const imported of importsOf(file, readFileSync(file, "utf8"))) {
			if (!imported.specifier.startsWith(".")) continue;
			const target = resolveRelative(file, imported.specifier);
			if (target === null) continue;
			if (!inside(file) && inside(target))
				found.push(`${relative(root, file)} imports ${relative(root, target)} (line ${imported.line})`);
			queue.push(target);
		}
	}
	return found;
}
