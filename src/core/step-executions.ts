// The step executions a stretch of a task's transition log records: one per attempt that reported a
// result (success, retryable failure or permanent failure), with the handler's own duration. Pushed to
// the analytics table in D1 with the task's metrics (same stretch, same staging), keyed by the
// transition's place in the log, so a push landing twice writes each execution once.
import { StepState } from "./states";
import type { TransitionRecord } from "./task-records";

export type ExecutionOutcome = "complete" | "retry" | "error";

export interface StepExecution {
	/** The transition's `seq` in the task's log: with the task uuid, the execution's identity. */
	seq: number;
	stepName: string;
	attempt: number;
	outcome: ExecutionOutcome;
	durationMs: number;
	/** When the result was recorded. */
	at: number;
}

const OUTCOMES: Partial<Record<string, ExecutionOutcome>> = {
	[StepState.complete]: "complete",
	[StepState.waitingForRetry]: "retry",
	[StepState.error]: "error",
};

export function stepExecutions(transitions: readonly TransitionRecord[]): StepExecution[] {
	const executions: StepExecution[] = [];
	for (const t of transitions) {
		const outcome = OUTCOMES[t.toState];
		const ms = t.metadata.execution_time_ms;
		if (!outcome || t.stepName === null || typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) continue;
		executions.push({
			seq: t.seq,
			stepName: t.stepName,
			attempt: t.attempt ?? 0,
			outcome,
			durationMs: ms,
			at: t.at,
		});
	}
	return executions.sort((a, b) => a.seq - b.seq);
}
