// What a results file says about the run itself: mode, date, machine and how long everything took.
import type { Machine } from "../lib/machine";
import type { BenchMode } from "../lib/modes";

export interface RunInfo {
	mode: BenchMode;
	/** ISO time the run started. */
	date: string;
	machine: Machine;
	/** The whole suite: preparing, starting wrangler, every measurement, stopping it. */
	wallMs: number;
	prepareMs: number;
	serverStartMs: number;
	/** The project's commit, and whether the engine had uncommitted changes when measured (absent in older files). */
	revision?: { commit: string; engineDirty: boolean };
	/** Processes other than this run's that were using the machine when it started (it is shared). */
	otherWorkerd: number;
	/** Run with `--hog`: a CPU hog process spun beside it the whole time (reported apart, never into BENCHMARKS.md). */
	hog?: boolean;
	/** wrangler dev's local observability was on (bench-server.ts); absent in files saved before it was switched off. */
	localObservability?: boolean;
}
