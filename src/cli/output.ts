// Where a command writes: stdout for its answer, stderr for diagnostics and progress, so `--json` stays parseable.

export interface Output {
	/** One line of the answer (stdout). */
	out(line: string): void;
	/** One line of diagnostics (stderr). */
	err(line: string): void;
	/** A progress line (stderr); on a terminal it replaces the previous one instead of scrolling. */
	progress(line: string): void;
}

/** The process's own streams. */
export function processOutput(): Output {
	const tty = process.stderr.isTTY === true;
	let pending = false;
	// A progress line left open on a terminal is ended before anything else is written after it.
	const settle = () => {
		if (pending) process.stderr.write("\n");
		pending = false;
	};
	return {
		out(line) {
			settle();
			process.stdout.write(`${line}\n`);
		},
		err(line) {
			settle();
			process.stderr.write(`${line}\n`);
		},
		progress(line) {
			if (tty) {
				process.stderr.write(`\r\x1b[2K${line}`);
				pending = true;
			} else {
				process.stderr.write(`${line}\n`);
			}
		},
	};
}

/** An Output that keeps every line, for tests. */
export interface RecordedOutput extends Output {
	readonly stdout: string[];
	readonly stderr: string[];
}

export function recordingOutput(): RecordedOutput {
	const stdout: string[] = [];
	const stderr: string[] = [];
	return {
		stdout,
		stderr,
		out: (line) => stdout.push(line),
		err: (line) => stderr.push(line),
		progress: (line) => stderr.push(line),
	};
}
