// The exit codes scripts can rely on (documented in the README's CLI section), and the mapping of a failure
// to its code and its one-line message.
import { TaskerApiError } from "../client/tasker-api-error";

export const ExitCode = {
	ok: 0,
	/** The server answered an error (`code: message` on stderr). */
	apiError: 1,
	/** Bad usage: an unknown option, a missing argument, unreadable JSON. */
	usage: 2,
	/** The server could not be reached. */
	unreachable: 3,
	/** A waited task ended in `error` or `cancelled`. */
	taskFailed: 4,
	/** `template validate` found problems. */
	invalidTemplate: 5,
	/** `--wait --timeout` ran out while the task was still running (it goes on running). */
	waitTimedOut: 6,
	/** `health` found the server not healthy, not ready (`--ready`) or missing a binding (`--detailed`). */
	unhealthy: 7,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the CLI itself detected, with the exit code it stands for. */
export class CliError extends Error {
	override readonly name = "CliError";
	readonly exitCode: ExitCode;

	constructor(exitCode: ExitCode, message: string) {
		super(message);
		this.exitCode = exitCode;
	}
}

/** A failure's exit code and what to print on stderr. */
export function describeFailure(error: unknown): { exitCode: ExitCode; message: string } {
	if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
	if (error instanceof TaskerApiError) {
		// Status 0 is the client's "no answer at all": the server is down or the URL is wrong.
		const exitCode = error.status === 0 ? ExitCode.unreachable : ExitCode.apiError;
		return { exitCode, message: `${error.code}: ${error.message}` };
	}
	// Anything else is a fault of the CLI's own; it still gets a readable line rather than a stack trace.
	const message = error instanceof Error ? error.message : String(error);
	return { exitCode: ExitCode.apiError, message: `INTERNAL_ERROR: ${message}` };
}
