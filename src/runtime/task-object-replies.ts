// What the task object's RPC methods answer: plain data, so that callers never depend on the class.
import type { StepRunInput } from "../core/step-outcome";
import type { StepView, TaskView } from "../core/task-views";
import type { EventOutcome } from "../core/wait-event";

export type RecordReply =
	| { kind: "applied"; stepState: string; taskStatus: string; next: StepRunInput[] }
	| { kind: "dropped"; reason: string };

export type OperatorReply =
	| { kind: "applied"; task: TaskView; step: StepView | null }
	| { kind: "unknown_task" }
	| { kind: "unknown_step" }
	| { kind: "conflict"; message: string };

/** One outcome to record: a consumer's step, its attempt, and whether it may take what it makes ready. */
export type { ResultItem as ReportItem } from "../core/record-results";

/** Who reports: the handlers its Worker can run, so that it is handed only steps it can run. */
export interface ReporterInfo {
	/** Absent: the reporter runs any handler (a caller that predates handler workers per namespace). */
	handlers?: readonly string[];
}

/** What sendEvent answers: the event's outcome, without the engine's effects (already performed). */
export type EventReply = EventOutcome extends infer O
	? O extends { effects: unknown }
		? Omit<O, "effects">
		: O
	: never;
