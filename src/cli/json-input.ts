// `--context` / `--result` values: inline JSON, or `@file` for JSON kept in a file (as curl's `-d @file`).
import { readFile } from "node:fs/promises";
import { CliError, ExitCode } from "./exit-codes";

/** The parsed JSON of `value`, or of the file it names after `@`; unreadable input is bad usage (exit 2). */
export async function readJsonArgument(option: string, value: string): Promise<unknown> {
	let text = value;
	let source = option;
	if (value.startsWith("@")) {
		source = `${option} ${value}`;
		try {
			// Editors on Windows save JSON with a byte order mark, which JSON.parse refuses.
			text = (await readFile(value.slice(1), "utf8")).replace(/^\uFEFF/, "");
		} catch (error) {
			throw new CliError(ExitCode.usage, `${source}: cannot read the file (${(error as Error).message})`);
		}
	}
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new CliError(ExitCode.usage, `${source}: not JSON (${(error as Error).message})`);
	}
}

/** The same, where the API wants a JSON object (a task's context). */
export async function readJsonObjectArgument(
	option: string,
	value: string,
): Promise<Record<string, unknown>> {
	const parsed = await readJsonArgument(option, value);
	if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
		throw new CliError(ExitCode.usage, `${option}: expected a JSON object, got ${JSON.stringify(parsed)}`);
	}
	return parsed as Record<string, unknown>;
}
