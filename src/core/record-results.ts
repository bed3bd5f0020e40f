// Several outcomes of one task recorded together (a consumer's batch): each is applied exactly as
// `recordResult` alone would, and their effects are combined into one send and one alarm time.
import { type RecordOptions, type RecordOutcome, recordResult } from "./record-result";
import { isTerminalTaskState } from "./states";
import type { EngineEffects } from "./step-message";
import type { StepOutcome } from "./step-outcome";
import { earliest } from "./task-mutations";
import type { TaskStore } from "./task-store";

export interface ResultItem {
	stepUuid: string;
	attempt: number;
	outcome: StepOutcome;
	takeNext?: boolean;
	/** The `inputs_token` of the input this attempt ran with (see StepRunInput). */
	inputsToken?: string;
}

export interface RecordedBatch {
	/** One per item, in order. */
	outcomes: RecordOutcome[];
	effects: EngineEffects;
	/** One of the outcomes finished the task. */
	finished: boolean;
}

export function recordResults(
	store: TaskStore,
	items: readonly ResultItem[],
	options: Omit<RecordOptions, "random" | "takeNext"> & { random: () => number },
): RecordedBatch {
	const outcomes = items.map((item) =>
		recordResult(store, item.stepUuid, item.attempt, item.outcome, {
			now: options.now,
			random: options.random(),
			sendGraceMs: options.sendGraceMs,
			takeNext: item.takeNext ?? false,
			...(item.inputsToken !== undefined ? { reporterInputsToken: item.inputsToken } : {}),
			reporterHandlers: options.reporterHandlers,
			events: options.events,
			...(options.newStepUuid ? { newStepUuid: options.newStepUuid } : {}),
		}),
	);
	const applied = outcomes.flatMap((o) => (o.kind === "applied" ? [o] : []));
	return {
		outcomes,
		effects: {
			dispatches: applied.flatMap((o) => o.effects.dispatches),
			wakeAt: earliest(applied.map((o) => o.effects.wakeAt)),
		},
		finished: applied.some((o) => isTerminalTaskState(o.taskStatus)),
	};
}
