// What the task object's RPC methods answer: plain data, so that callers never depend on the class.
import type { StepRunInput } from "../src/core/step-outcome";
import type { StepView, TaskView } from "../src/core/task-views";

export type RecordReply =
	| { kind: "applied"; stepState: string; taskStatus: string; next: StepRunInput[] }
	| { kind: "dropped"; reason: string };

export type OperatorReply =
	| { kind: "applied"; task: TaskView; step: StepView | null }
	| { kind: "unknown_task" }
	| { kind: "unknown_step" }
	| { kind: "conflict"; message: string };

/** One outcome to record: a consumer's step, its attempt, and whether it may take what it makes ready. */
export type { ResultItem as ReportItem } from "../src/core/record-results";

/** Who reports: the handlers its Worker can run, so that it is handed only steps it can run. */
export interface ReporterInfo {
	/** Absent: the reporter runs any handler (a caller that predates handler workers per namespace). */
	handlers?: readonly string[];
}
