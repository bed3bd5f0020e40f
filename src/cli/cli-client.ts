// The part of TaskerClient the commands use: a structural type, so tests can hand them a fake.
import type { TaskerClient } from "../client/tasker-client";
import type { Output } from "./output";

export type CliClient = Pick<
	TaskerClient,
	| "createTask"
	| "getTask"
	| "followTask"
	| "listTasks"
	| "cancelTask"
	| "listTaskSteps"
	| "getTaskAudit"
	| "getTaskEvents"
	| "getStepAudit"
	| "resetStep"
	| "resolveStep"
	| "completeStep"
	| "listTemplates"
	| "getTemplate"
	| "validateTemplate"
	| "health"
	| "ready"
	| "healthDetailed"
	| "listDlq"
	| "getDlqEntry"
	| "updateDlqEntry"
	| "dlqStats"
	| "investigationQueue"
	| "stalenessMonitoring"
	| "performanceMetrics"
	| "bottlenecks"
	| "config"
	| "sendEvent"
	| "createSchedule"
	| "listSchedules"
	| "getSchedule"
	| "pauseSchedule"
	| "resumeSchedule"
	| "triggerSchedule"
	| "syncSchedules"
	| "deleteSchedule"
>;

/** What every command gets: the client, where to write, and whether a machine is reading (`--json`). */
export interface CommandContext {
	client: CliClient;
	output: Output;
	json: boolean;
	/** The `--url` given on the command line, if any: repeated in the commands a message suggests. */
	urlGiven?: string | undefined;
}
