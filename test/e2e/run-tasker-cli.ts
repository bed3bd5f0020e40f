// Runs the real `tasker` bin (`npx tasker`, node_modules/.bin first on PATH, as a developer runs it).
import { execFile } from "node:child_process";
import { delimiter, join } from "node:path";
import { PROJECT_ROOT } from "../../scripts/lib/load-project";

const BIN = join(PROJECT_ROOT, "node_modules", ".bin");

export function runTasker(
	args: string[],
	env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		const merged = { ...process.env, PATH: `${BIN}${delimiter}${process.env.PATH ?? ""}`, ...env };
		// npm does not link a package's own bin into its node_modules/.bin; npx finds it in package.json.
		execFile(
			"npx",
			["--no-install", "tasker", ...args],
			{ env: merged, cwd: PROJECT_ROOT },
			(error, stdout, stderr) => {
				const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
				resolve({ code, stdout, stderr });
			},
		);
	});
}
