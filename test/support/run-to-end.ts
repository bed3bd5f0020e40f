// Runs a task in the pure engine until nothing is left to do: every dispatched step is claimed, run by
// `run` and reported; when the queue is empty the clock moves on a minute and the alarm sends what is
// owed (retries, re-sends). Returns the steps in the order they ran (a step once per run).
import type { StepMessage } from "../../src/core/step-message";
import type { StepOutcome, StepRunInput } from "../../src/core/step-outcome";
import type { EngineDriver } from "./engine-driver";

export async function runToEnd(
	driver: EngineDriver,
	run: (input: StepRunInput) => StepOutcome | Promise<StepOutcome>,
	limit = 20_000,
	/** Messages the test already took from the engine and has not run. */
	pending: readonly StepMessage[] = [],
): Promise<string[]> {
	const ran: string[] = [];
	let queue = [...pending, ...driver.alarm()];
	for (let i = 0; i < limit; i++) {
		const message = queue.shift();
		if (!message) {
			driver.now += 60_000;
			queue = driver.alarm();
			if (queue.length === 0) return ran;
			continue;
		}
		const claim = driver.claim(message);
		if (claim.kind !== "run") continue;
		ran.push(message.step_name);
		const outcome = driver.report(message, await run(claim.input));
		if (outcome.kind === "applied") queue.push(...outcome.effects.dispatches);
	}
	throw new Error(`task still running after ${limit} messages`);
}
