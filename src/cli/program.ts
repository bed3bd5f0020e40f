// The commander wiring, kept thin: it parses, builds the command context, calls a command function and
// records its exit code; all behaviour lives in the *-commands modules.
import { Command, InvalidArgumentError } from "commander";
// A named import: the bundler keeps only this one field of package.json.
import { version } from "../../package.json";
import type { CliClient, CommandContext } from "./cli-client";
import * as dlq from "./dlq-commands";
import * as events from "./event-commands";
import { CliError, ExitCode } from "./exit-codes";
import * as health from "./health-commands";
import * as insights from "./insight-commands";
import type { Output } from "./output";
import * as schedules from "./schedule-commands";
import * as steps from "./step-commands";
import * as tasks from "./task-commands";
import * as templates from "./template-commands";

export const DEFAULT_URL = "http://localhost:8787";

export interface ProgramDeps {
	output: Output;
	/** `TASKER_URL`, `TASKER_API_KEY`, `TASKER_TOKEN`. */
	env: Record<string, string | undefined>;
	makeClient(options: { baseUrl: string; apiKey?: string; bearerToken?: string }): CliClient;
	/** Receives the exit code of the command that ran. */
	setExitCode(code: ExitCode): void;
}

interface GlobalOptions {
	url?: string;
	json?: boolean;
}

function positiveInteger(value: string): number {
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
	return n;
}

function nonNegativeInteger(value: string): number {
	const n = Number(value);
	if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected an integer of 0 or more");
	return n;
}

const DLQ_STATUSES = ["pending", "manually_resolved", "permanently_failed", "cancelled"] as const;

function dlqStatus(value: string): (typeof DLQ_STATUSES)[number] {
	const status = DLQ_STATUSES.find((s) => s === value);
	if (!status) throw new InvalidArgumentError(`expected one of: ${DLQ_STATUSES.join(", ")}`);
	return status;
}

const OVERLAPS = ["skip", "allow", "cancel_previous"] as const;
const CATCH_UPS = ["none", "latest", "all"] as const;

function oneOf<const Values extends readonly string[]>(values: Values) {
	return (value: string): Values[number] => {
		const found = values.find((v) => v === value);
		if (!found) throw new InvalidArgumentError(`expected one of: ${values.join(", ")}`);
		return found;
	};
}

function positiveSeconds(value: string): number {
	const n = Number(value);
	if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a number of seconds above 0");
	return n;
}

export function buildProgram(deps: ProgramDeps): Command {
	const program = new Command("tasker")
		.description("Drive a Tasker server: submit and follow tasks, act on steps, inspect templates.")
		.option("--url <url>", `the server (default: TASKER_URL or ${DEFAULT_URL})`)
		.option("--json", "print the API's JSON instead of tables")
		.version(version, "-V, --version", "print the version of this tasker")
		.showHelpAfterError()
		// Usage errors must become exit 2, not commander's process.exit(1): main maps the thrown CommanderError.
		.exitOverride()
		.configureOutput({
			writeOut: (text) => deps.output.out(text.replace(/\n$/, "")),
			writeErr: (text) => deps.output.err(text.replace(/\n$/, "")),
		});

	/** Runs a command function with the context built from the global options. */
	const run =
		<A extends unknown[]>(fn: (ctx: CommandContext, ...args: A) => Promise<ExitCode>) =>
		async (command: Command, ...args: A) => {
			const globals = command.optsWithGlobals<GlobalOptions>();
			const baseUrl = globals.url ?? (deps.env.TASKER_URL || DEFAULT_URL);
			// A URL without its scheme is a mistake to fix (2), not a server that is down (3).
			if (!isHttpUrl(baseUrl)) {
				const from = globals.url !== undefined ? "--url" : "TASKER_URL";
				throw new CliError(
					ExitCode.usage,
					`${from}: expected a URL starting with http:// or https://, got ${JSON.stringify(baseUrl)}`,
				);
			}
			const apiKey = deps.env.TASKER_API_KEY || undefined;
			const bearerToken = deps.env.TASKER_TOKEN || undefined;
			const ctx = {
				client: deps.makeClient({ baseUrl, apiKey, ...(bearerToken ? { bearerToken } : {}) }),
				output: deps.output,
				json: globals.json === true,
				urlGiven: globals.url,
			};
			deps.setExitCode(await fn(ctx, ...args));
		};

	const task = program.command("task").description("submit, follow, list and cancel tasks");
	task
		.command("create <name>")
		.description("submit a task of template <name>")
		.requiredOption("--context <json>", "the task's context: JSON, or @file")
		.requiredOption("--initiator <who>", "who asks")
		.requiredOption("--source-system <system>", "from which system")
		.requiredOption("--reason <why>", "why")
		.option("--namespace <namespace>", "the template's namespace (default: default)")
		.option("--version <version>", "the template's version (default: the newest)")
		.option("--idempotency-key <key>", "the submission's identity (1-255 characters)")
		.option("--wait", "follow the task until it has finished; exit 4 if it ends in error or cancelled")
		.option(
			"--timeout <seconds>",
			"with --wait: give up after this long (exit 6); the task goes on",
			positiveSeconds,
		)
		.action((name: string, options: Omit<tasks.CreateTaskArgs, "name">, command: Command) =>
			run(tasks.createTask)(command, { ...options, name }),
		);
	task
		.command("get <task_uuid>")
		.description("one task")
		.action((uuid: string, _options: unknown, command: Command) => run(tasks.getTask)(command, uuid));
	task
		.command("wait <task_uuid>")
		.description("follow a task until it has finished; exit 4 if it ends in error or cancelled")
		.option("--timeout <seconds>", "give up after this long (exit 6); the task goes on", positiveSeconds)
		.action((uuid: string, options: { timeout?: number }, command: Command) =>
			run(tasks.waitForTask)(command, uuid, options.timeout),
		);
	task
		.command("list")
		.description("one page of tasks, newest first")
		.option("--namespace <namespace>")
		.option("--status <status>")
		.option("--initiator <who>")
		.option("--source-system <system>")
		.option("--page <n>", "page number", positiveInteger)
		.option("--per-page <n>", "tasks per page", positiveInteger)
		.action((options: tasks.ListTasksArgs, command: Command) => run(tasks.listTasks)(command, options));
	task
		.command("cancel <task_uuid>")
		.description("cancel every unfinished step")
		.action((uuid: string, _options: unknown, command: Command) => run(tasks.cancelTask)(command, uuid));
	task
		.command("signal <task_uuid> <event_name>")
		.description("send an event to the task's step waiting for it (or keep it until one waits)")
		.option("--payload <json>", "the event's payload (the waiting step's result): JSON, or @file")
		.option("--event-id <id>", "the event's id: sent again, it is applied once")
		.action((uuid: string, name: string, options: { payload?: string; eventId?: string }, command: Command) =>
			run(events.signalTask)(command, { taskUuid: uuid, name, ...options }),
		);
	task
		.command("steps <task_uuid>")
		.description("the task's steps, their states and results")
		.action((uuid: string, _options: unknown, command: Command) => run(tasks.taskSteps)(command, uuid));
	task
		.command("events <task_uuid>")
		.description("the domain events the task's steps published, and whether each was sent")
		.action((uuid: string, _options: unknown, command: Command) => run(tasks.taskEvents)(command, uuid));
	task
		.command("audit <task_uuid>")
		.description("the task's transitions, or one step's")
		.option("--step <step_uuid>", "a step's transitions instead")
		.action((uuid: string, options: { step?: string }, command: Command) =>
			run(tasks.taskAudit)(command, uuid, options.step),
		);

	const step = program.command("step").description("an operator's action on one step");
	const stepAction = (name: string, description: string) =>
		step
			.command(`${name} <task_uuid> <step_uuid>`)
			.description(description)
			.requiredOption("--reason <why>", "why")
			.requiredOption("--by <who>", "the operator");
	stepAction("reset", "run a step in error again").action(
		(taskUuid: string, stepUuid: string, options: { reason: string; by: string }, command: Command) =>
			run(steps.resetStep)(command, { taskUuid, stepUuid, ...options }),
	);
	stepAction("resolve", "count the step as done, with no result").action(
		(taskUuid: string, stepUuid: string, options: { reason: string; by: string }, command: Command) =>
			run(steps.resolveStep)(command, { taskUuid, stepUuid, ...options }),
	);
	stepAction("complete", "complete the step with a result its dependents read")
		.requiredOption("--result <json>", "the step's result: JSON, or @file")
		.action(
			(
				taskUuid: string,
				stepUuid: string,
				options: { reason: string; by: string; result: string },
				command: Command,
			) => run(steps.completeStep)(command, { taskUuid, stepUuid, ...options }),
		);

	const template = program.command("template").description("the server's templates");
	template
		.command("list")
		.description("every registered template version")
		.option("--namespace <namespace>")
		.action((options: { namespace?: string }, command: Command) =>
			run(templates.listTemplates)(command, options.namespace),
		);
	template
		.command("show <namespace> <name> [version]")
		.description("one template (default: its newest version)")
		.action(
			(namespace: string, name: string, version: string | undefined, _options: unknown, command: Command) =>
				run(templates.showTemplate)(command, namespace, name, version),
		);
	template
		.command("validate <file>")
		.description("check a template's YAML against the server's handlers; exit 5 on problems")
		.action((file: string, _options: unknown, command: Command) =>
			run(templates.validateTemplateFile)(command, file),
		);
	template
		.command("graph <namespace> <name> [version]")
		.description("the template's steps in dependency layers")
		.option("--mermaid", "a Mermaid flowchart instead")
		.action(
			(
				namespace: string,
				name: string,
				version: string | undefined,
				options: { mermaid?: boolean },
				command: Command,
			) => run(templates.graphTemplate)(command, { namespace, name, version, mermaid: options.mermaid }),
		);
	const dlqCommand = program
		.command("dlq")
		.description("DLQ entries: tasks that went stale or lost a step message; investigation tracking only");
	dlqCommand
		.command("list")
		.description("entries, newest first")
		.option("--status <status>", `by resolution status: ${DLQ_STATUSES.join(", ")}`, dlqStatus)
		.option("--limit <n>", "entries per page (1-200, default 50)", positiveInteger)
		.option("--offset <n>", "entries to skip", nonNegativeInteger)
		.action((options: dlq.ListDlqArgs, command: Command) => run(dlq.listDlq)(command, options));
	dlqCommand
		.command("show <task_uuid>")
		.description("a task's entry (its pending one, else its newest) with its snapshot")
		.action((uuid: string, _options: unknown, command: Command) => run(dlq.showDlq)(command, uuid));
	dlqCommand
		.command("resolve <dlq_entry_uuid>")
		.description("record an investigation's outcome (a resolution is final; notes can be added later)")
		.option("--status <status>", "manually_resolved, permanently_failed or cancelled", dlqStatus)
		.option("--notes <text>", "what was found and done")
		.option("--by <who>", "the operator")
		.option("--metadata <json>", "a JSON object, or @file")
		.action((entryUuid: string, options: Omit<dlq.ResolveDlqArgs, "entryUuid">, command: Command) =>
			run(dlq.resolveDlq)(command, { entryUuid, ...options }),
		);
	dlqCommand
		.command("stats")
		.description("entries per reason and resolution status")
		.action((_options: unknown, command: Command) => run(dlq.dlqStats)(command));
	dlqCommand
		.command("queue")
		.description("pending entries in triage order (the reference's priority score)")
		.option("--limit <n>", "entries (1-1000, default 100)", positiveInteger)
		.action((options: { limit?: number }, command: Command) =>
			run(insights.investigationQueue)(command, options),
		);
	dlqCommand
		.command("staleness")
		.description("running tasks against their staleness thresholds, stale first")
		.option("--limit <n>", "tasks (1-1000, default 100)", positiveInteger)
		.action((options: { limit?: number }, command: Command) => run(insights.staleness)(command, options));
	const analytics = program
		.command("analytics")
		.description("rates, durations and the slowest steps, from the index");
	analytics
		.command("performance")
		.description("completion, error and retry rates, durations and percentiles, throughput")
		.option("--hours <n>", "hours to look back (default 24; 0: all time)", nonNegativeInteger)
		.action((options: { hours?: number }, command: Command) => run(insights.performance)(command, options));
	analytics
		.command("bottlenecks")
		.description("the slowest steps and templates, and recommendations")
		.option("--hours <n>", "hours to look back (default 24; 0: all time)", nonNegativeInteger)
		.option("--limit <n>", "rows of each (1-100, default 10)", positiveInteger)
		.option("--min-executions <n>", "least runs to be listed (default 5)", positiveInteger)
		.action((options: { hours?: number; limit?: number; minExecutions?: number }, command: Command) =>
			run(insights.bottlenecks)(command, options),
		);
	program
		.command("config")
		.description("the server's non-secret settings")
		.action((_options: unknown, command: Command) => run(insights.config)(command));
	const schedule = program.command("schedule").description("tasks that run on a schedule");
	schedule
		.command("list")
		.description("one page of schedules, oldest first")
		.option("--namespace <namespace>")
		.option("--page <n>", "page number", positiveInteger)
		.option("--per-page <n>", "schedules per page", positiveInteger)
		.action((options: schedules.ListSchedulesArgs, command: Command) =>
			run(schedules.listSchedules)(command, options),
		);
	schedule
		.command("show <schedule_id>")
		.description("a schedule, its next due times and its last runs with their tasks")
		.action((id: string, _options: unknown, command: Command) => run(schedules.showSchedule)(command, id));
	schedule
		.command("create <name>")
		.description("run template <name> on a five-field cron")
		.requiredOption("--cron <expression>", 'e.g. "*/15 * * * *"')
		.option("--namespace <namespace>", "the template's namespace (default: default)")
		.option("--version <version>", "the template's version (default: the newest at each run)")
		.option("--timezone <zone>", "an IANA time zone (default: UTC)")
		.option("--context <json>", "each run's task context: JSON, or @file (default: {})")
		.option(
			"--overlap <policy>",
			"while the previous run is active: skip (default), allow, cancel_previous",
			oneOf(OVERLAPS),
		)
		.option(
			"--catch-up <policy>",
			"missed due times after downtime: none, latest (default), all",
			oneOf(CATCH_UPS),
		)
		.option("--paused", "create it paused")
		.action((name: string, options: Omit<schedules.CreateScheduleArgs, "name">, command: Command) =>
			run(schedules.createSchedule)(command, { ...options, name }),
		);
	schedule
		.command("pause <schedule_id>")
		.description("stop starting runs (trigger still works)")
		.action((id: string, _options: unknown, command: Command) => run(schedules.pauseSchedule)(command, id));
	schedule
		.command("resume <schedule_id>")
		.description("start runs again from now (due times missed while paused do not run)")
		.action((id: string, _options: unknown, command: Command) => run(schedules.resumeSchedule)(command, id));
	schedule
		.command("trigger <schedule_id>")
		.description("run it now")
		.option("--overlap <policy>", "this run's own overlap policy", oneOf(OVERLAPS))
		.action((id: string, options: { overlap?: (typeof OVERLAPS)[number] }, command: Command) =>
			run(schedules.triggerSchedule)(command, id, options.overlap),
		);
	schedule
		.command("sync")
		.description("make the schedules match the templates' schedules: (run after a deploy)")
		.action((_options: unknown, command: Command) => run(schedules.syncSchedules)(command));
	schedule
		.command("delete <schedule_id>")
		.description("delete it (tasks it started go on)")
		.action((id: string, _options: unknown, command: Command) => run(schedules.deleteSchedule)(command, id));
	program
		.command("health")
		.description("is the server up? exit 7 if not healthy (or, with --ready, not ready)")
		.option("--ready", "readiness: templates and their handlers registered")
		.option("--detailed", "version, templates, handlers and bindings")
		.action((options: { ready?: boolean; detailed?: boolean }, command: Command) =>
			run(health.checkHealth)(command, options),
		);
	return program;
}

function isHttpUrl(text: string): boolean {
	try {
		const { protocol } = new URL(text);
		return protocol === "http:" || protocol === "https:";
	} catch {
		return false;
	}
}
