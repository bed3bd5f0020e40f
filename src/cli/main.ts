// The `tasker` CLI's entry: parses argv, runs one command, and answers its exit code (see exit-codes.ts).
import { CommanderError } from "commander";
import { TaskerClient } from "../client/tasker-client";
import { describeFailure, type ExitCode } from "./exit-codes";
import { type Output, processOutput } from "./output";
import { buildProgram, type ProgramDeps } from "./program";

export interface CliDeps {
	output?: Output;
	env?: Record<string, string | undefined>;
	makeClient?: ProgramDeps["makeClient"];
}

/** Runs `tasker <argv>` and returns its exit code; nothing here calls process.exit, so tests can run it. */
export async function runCli(argv: readonly string[], deps: CliDeps = {}): Promise<number> {
	const output = deps.output ?? processOutput();
	let exitCode: ExitCode | number = 0;
	const program = buildProgram({
		output,
		env: deps.env ?? process.env,
		makeClient: deps.makeClient ?? ((options) => new TaskerClient(options)),
		setExitCode: (code) => {
			exitCode = code;
		},
	});
	try {
		await program.parseAsync([...argv], { from: "user" });
	} catch (error) {
		// Commander has already printed its own message; help and --version are its only successes.
		if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
		const failure = describeFailure(error);
		output.err(failure.message);
		return failure.exitCode;
	}
	return exitCode;
}
