// How much each mode runs: `--quick` (under 2 minutes) and the full run (under 15).

export interface BenchMode {
	name: "quick" | "full";
	/** Rounds of every reference shape (and the 4-hop floor) run before measuring, not recorded. */
	warmupRounds: number;
	/** Measured rounds: each runs every shape on tasker-edge and on Workflows, and the 4-hop floor. */
	shapeRounds: number;
	/** Measured rounds of the scale cases (fan-out, chain with its 200-hop floor, 100 steps). */
	scaleRounds: number;
	/** How many of those rounds also run the 10,000-step task. */
	rounds10k: number;
	/** Seed orders submitted at once for the load figure. */
	loadTasks: number;
	/** Rounds of the load on each system, the systems' order rotated each round (one round is one sample). */
	loadRounds: number;
}

export const QUICK: BenchMode = {
	name: "quick",
	warmupRounds: 2,
	shapeRounds: 10,
	scaleRounds: 1,
	rounds10k: 1,
	loadTasks: 100,
	loadRounds: 1,
};

export const FULL: BenchMode = {
	name: "full",
	warmupRounds: 3,
	shapeRounds: 40,
	scaleRounds: 3,
	rounds10k: 3,
	loadTasks: 500,
	// Six: each system goes first twice in the rotation. Three rounds moved the pooled ratio to the floor from
	// 0.95x to 1.08x between two runs of the same code.
	loadRounds: 6,
};
