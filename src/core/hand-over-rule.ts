// Which of the steps a result made ready go straight to the consumer that reported it, and which go
// through the queue. A step is handed over only to a reporter that can run it: with handler workers
// per namespace, the consumer that reports may be another team's Worker, holding other handlers.
import { MAX_STEPS_HANDED_OVER } from "../limits";
import type { StepRecord } from "./task-records";

export interface HandOverOffer {
	/** The reporter offers to run what its result makes ready (it has time and budget left). */
	takeNext: boolean;
	/**
	 * The handlers (`callable`s) the reporter can run; absent means any. A ready step whose handler
	 * is not among them is sent through the queue of its namespace, whose consumer has it.
	 */
	handlers?: ReadonlySet<string> | undefined;
}

export interface HandOverSplit {
	handOver: StepRecord[];
	enqueue: StepRecord[];
}

/**
 * A few successors (at most MAX_STEPS_HANDED_OVER) run at once in the reporter, side by side; a wide
 * fan-out goes to the queue in batches, so that many consumers share it. Of a few, those the reporter
 * cannot run go to the queue too.
 */
export function splitForHandOver(ready: readonly StepRecord[], offer: HandOverOffer): HandOverSplit {
	if (!offer.takeNext || ready.length > MAX_STEPS_HANDED_OVER) return { handOver: [], enqueue: [...ready] };
	const { handlers } = offer;
	if (handlers === undefined) return { handOver: [...ready], enqueue: [] };
	const split: HandOverSplit = { handOver: [], enqueue: [] };
	for (const step of ready) (handlers.has(step.callable) ? split.handOver : split.enqueue).push(step);
	return split;
}
