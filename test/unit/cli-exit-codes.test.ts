// The CLI's exit codes, through runCli with a fake client: what a script can rely on (README, "CLI").
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliClient } from "../../src/cli/cli-client";
import { CliError, describeFailure, ExitCode } from "../../src/cli/exit-codes";
import { runCli } from "../../src/cli/main";
import { recordingOutput } from "../../src/cli/output";
import { StreamTimeoutError } from "../../src/client/task-stream-client";
import { TaskerApiError } from "../../src/client/tasker-api-error";

type Task = Awaited<ReturnType<CliClient["getTask"]>>;

function task(overrides: Partial<Task> = {}): Task {
	return {
		taskUuid: "0199aaaa-0000-7000-8000-000000000001",
		name: "order_processing",
		namespace: "default",
		version: "1.0.0",
		status: "complete",
		totalSteps: 4,
		completedSteps: 4,
		resolvedManuallySteps: 0,
		...overrides,
	} as Task;
}

/** A fake client: only what a test gives it; anything else fails loudly. */
function fakeClient(methods: Partial<CliClient>): CliClient {
	return new Proxy(methods, {
		get(target, key: string) {
			const method = target[key as keyof CliClient];
			if (method) return method;
			return () => Promise.reject(new Error(`unexpected call: ${key}`));
		},
	}) as CliClient;
}

async function run(argv: string[], client: Partial<CliClient> = {}) {
	const output = recordingOutput();
	const seen: { baseUrl: string; apiKey?: string }[] = [];
	const code = await runCli(argv, {
		output,
		env: { TASKER_URL: "http://tasker.test", TASKER_API_KEY: "k" },
		makeClient: (options) => {
			seen.push(options);
			return fakeClient(client);
		},
	});
	return { code, stdout: output.stdout, stderr: output.stderr, seen };
}

/** `task create <name> --context <context>` with the three required fields, then `extra`. */
const createArgs = (name: string, context: string, ...extra: string[]) => [
	"task",
	"create",
	name,
	"--context",
	context,
	...["--initiator", "me", "--source-system", "cli", "--reason", "test"],
	...extra,
];

describe("describeFailure", () => {
	it("maps a server error to 1, no answer to 3, the CLI's own errors to theirs", () => {
		expect(describeFailure(new TaskerApiError(404, "NOT_FOUND", "no task"))).toEqual({
			exitCode: 1,
			message: "NOT_FOUND: no task",
		});
		expect(describeFailure(new TaskerApiError(0, "NETWORK_ERROR", "no answer")).exitCode).toBe(3);
		expect(describeFailure(new CliError(ExitCode.usage, "bad")).exitCode).toBe(2);
	});
});

describe("runCli exit codes", () => {
	it("0 with the task, using TASKER_URL and TASKER_API_KEY", async () => {
		const result = await run(["task", "get", "u1", "--json"], { getTask: async () => task() });
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout.join("\n"))).toMatchObject({
			task_uuid: task().taskUuid,
			status: "complete",
		});
		expect(result.seen).toEqual([{ baseUrl: "http://tasker.test", apiKey: "k" }]);
	});

	it("--url wins over TASKER_URL", async () => {
		const result = await run(["--url", "http://other.test", "task", "get", "u1"], {
			getTask: async () => task(),
		});
		expect(result.seen[0]?.baseUrl).toBe("http://other.test");
		expect(result.stdout.join("\n")).toContain("4/4 done");
	});

	it("1 with `code: message` when the server answers an error", async () => {
		const result = await run(["task", "get", "u1"], {
			getTask: () => Promise.reject(new TaskerApiError(404, "NOT_FOUND", "no task with task_uuid u1")),
		});
		expect(result).toMatchObject({ code: 1, stderr: ["NOT_FOUND: no task with task_uuid u1"] });
	});

	it("2 for bad usage: an unknown command, a missing option, context that is not JSON", async () => {
		expect((await run(["task", "nope"])).code).toBe(2);
		expect((await run(["task", "create", "order_processing", "--context", "{}"])).code).toBe(2);
		const notJson = await run(createArgs("order_processing", "{oops"));
		expect(notJson.code).toBe(2);
		expect(notJson.stderr.join("\n")).toContain("--context: not JSON");
		expect((await run(["task", "list", "--page", "zero"])).code).toBe(2);
		// An option that would be silently ignored is bad usage, said before anything is sent.
		const created: unknown[] = [];
		const ignoredTimeout = await run(createArgs("x", "{}", "--timeout", "5"), {
			createTask: async () => {
				created.push(1);
				return task();
			},
		});
		expect(ignoredTimeout).toMatchObject({
			code: 2,
			stderr: ["--timeout: only with --wait (it bounds how long the task is followed)"],
		});
		expect(created).toEqual([]);
		expect(await run(["health", "--ready", "--detailed"])).toMatchObject({
			code: 2,
			stderr: ["--ready and --detailed: choose one"],
		});
		// A URL without its scheme is bad usage, not an unreachable server; no client is made with it.
		const noScheme = await run(["--url", "127.0.0.1:8787", "health"]);
		expect(noScheme).toMatchObject({
			code: 2,
			stderr: ['--url: expected a URL starting with http:// or https://, got "127.0.0.1:8787"'],
			seen: [],
		});
	});

	it("0 for --help, and for --version with the package's version", async () => {
		const result = await run(["--help"]);
		expect(result.code).toBe(0);
		expect(result.stdout.join("\n")).toContain("template");
		const version = await run(["--version"]);
		expect(version).toMatchObject({ code: 0, stdout: [expect.stringMatching(/^\d+\.\d+\.\d+/)] });
	});

	it("reads a --context @file saved with a byte order mark", async () => {
		const file = join(await mkdtemp(join(tmpdir(), "tasker-cli-")), "context.json");
		await writeFile(file, '\uFEFF{"order_id": "ORD-BOM"}');
		const sent: unknown[] = [];
		const result = await run(createArgs("order_processing", `@${file}`), {
			createTask: async (...args: unknown[]) => {
				sent.push(args);
				return task();
			},
		});
		expect(result.code, result.stderr.join("\n")).toBe(0);
		expect(sent).toMatchObject([["order_processing", { context: { order_id: "ORD-BOM" } }]]);
	});

	it("3 when the server cannot be reached", async () => {
		const result = await run(["template", "list"], {
			listTemplates: () => Promise.reject(new TaskerApiError(0, "NETWORK_ERROR", "no answer")),
		});
		expect(result.code).toBe(3);
	});

	it("4 when a waited task ends in error; 0 when it completes", async () => {
		const args = ["task", "create", "order_processing", "--context", '{"order_id":"A"}'];
		const required = ["--initiator", "me", "--source-system", "cli", "--reason", "test", "--wait"];
		const steps = async () => [];
		const failed = await run([...args, ...required], {
			createTask: async () => task({ status: "pending" }),
			getTask: async () => task({ status: "error", completedSteps: 1 }),
			listTaskSteps: steps,
		});
		expect(failed.code).toBe(4);
		expect(failed.stderr).toContain(`task ${task().taskUuid}: 1/4 steps done, error`);
		const passed = await run([...args, ...required, "--json"], {
			createTask: async () => task({ status: "pending" }),
			getTask: async () => task(),
			listTaskSteps: steps,
		});
		expect(passed.code).toBe(0);
		expect(JSON.parse(passed.stdout.join("\n"))).toMatchObject({ status: "complete", completed_steps: 4 });
	});

	it("5 with each problem as `file: path: message` when a template is invalid", async () => {
		const file = join(await mkdtemp(join(tmpdir(), "tasker-cli-")), "broken.yaml");
		await writeFile(file, "name: x\n");
		const result = await run(["template", "validate", file], {
			validateTemplate: async () => ({
				valid: false,
				problems: [
					{ path: "version", message: "required" },
					{ path: "", message: "whole file" },
				],
			}),
		});
		expect(result.code).toBe(5);
		expect(result.stderr).toEqual([
			`${file}: version: required`,
			`${file}: whole file`,
			"2 problem(s) in 1 file(s)",
		]);
		expect((await run(["template", "validate", `${file}.missing`])).code).toBe(2);
		// An empty file is a problem of the file (5), never sent to the server, which would refuse the empty body (1).
		const empty = join(await mkdtemp(join(tmpdir(), "tasker-cli-")), "empty.yaml");
		await writeFile(empty, " \n");
		const emptied = await run(["template", "validate", empty], {
			validateTemplate: () => Promise.reject(new Error("not to be called")),
		});
		expect(emptied).toMatchObject({
			code: 5,
			stderr: [`${empty}: the file is empty: expected a YAML task template`, "1 problem(s) in 1 file(s)"],
		});
	});

	it("6 when --timeout runs out first, with a hint to wait again; the read is never held past it", async () => {
		const held: number[] = [];
		const result = await run(["task", "wait", "u1", "--timeout", "0.05"], {
			getTask: async (_uuid, options) => {
				held.push(options?.waitSeconds ?? 0);
				await new Promise((resolve) => setTimeout(resolve, 20));
				return task({ status: "steps_in_process", completedSteps: 1 });
			},
		});
		expect(result.code).toBe(6);
		expect(result.stderr.at(-1)).toMatch(
			/is still steps_in_process after 0\.05 s; .*\(tasker task wait u1\)$/,
		);
		expect(Math.max(...held)).toBeLessThanOrEqual(0.05);
		// The hint reaches the same server: a --url given is repeated in it.
		const elsewhere = await run(["--url", "http://other.test", "task", "wait", "u1", "--timeout", "0.05"], {
			getTask: async () => task({ status: "steps_in_process" }),
		});
		expect(elsewhere.stderr.at(-1)).toMatch(/\(tasker --url http:\/\/other\.test task wait u1\)$/);
		expect((await run(["task", "wait", "u1", "--timeout", "0"])).code).toBe(2);
	});

	it("task wait follows the task's stream when it has one, without reading the task; 6 when it times out", async () => {
		const reads: string[] = [];
		const streamed = await run(["task", "wait", "u1"], {
			followTask: async (_uuid, options) => {
				options?.onTask?.(task({ status: "steps_in_process", completedSteps: 2 }));
				options?.onTask?.(task());
				return task();
			},
			getTask: async () => {
				reads.push("getTask");
				return task();
			},
			listTaskSteps: async () => [],
		});
		expect(streamed.code).toBe(0);
		expect(reads).toEqual([]);
		expect(streamed.stderr.join("\n")).toMatch(
			/2\/4 steps done, steps_in_process[\s\S]*4\/4 steps done, complete/,
		);
		const late = await run(["task", "wait", "u1", "--timeout", "0.05"], {
			followTask: async () => {
				throw new StreamTimeoutError(50, { status: "waiting_for_retry" });
			},
		});
		expect(late.code).toBe(6);
		expect(late.stderr.at(-1)).toMatch(/is still waiting_for_retry after 0\.05 s/);
	});

	it("0 for task wait on a task that completes, listing its steps", async () => {
		const result = await run(["task", "wait", "u1"], {
			getTask: async () => task(),
			listTaskSteps: async () => [],
		});
		expect(result.code).toBe(0);
		expect(result.stdout.join("\n")).toContain("4/4 done");
	});

	it("7 when the server is not ready; 0 and the bindings as sent when it is healthy", async () => {
		const notReady = await run(["health", "--ready"], {
			ready: async () => ({
				status: "not_ready",
				checks: {
					templates: { status: "healthy", count: 1 },
					handlers: {
						status: "unhealthy",
						count: 0,
						message: "templates name handlers that are not registered: X",
					},
					namespaceQueues: { status: "healthy", routes: { billing: "STEP_QUEUE_BILLING" } },
				},
			}),
		});
		expect(notReady.code).toBe(7);
		expect(notReady.stdout).toContain("namespace_queues: healthy (1 route(s))");
		expect(notReady.stdout).toContain(
			"handlers: unhealthy (0): templates name handlers that are not registered: X",
		);
		const healthDetailed = async () => ({
			status: "healthy" as const,
			timestamp: "t",
			version: "0.1.0",
			templates: { count: 1, namespaces: ["default"] },
			handlers: { count: 4 },
			bindings: { tasks: true, stepQueue: true },
		});
		const detailed = await run(["health", "--detailed", "--json"], { healthDetailed });
		expect(detailed.code).toBe(0);
		expect(JSON.parse(detailed.stdout.join(""))).toMatchObject({
			bindings: { tasks: true, step_queue: true },
		});
		// People read the bindings by the same names as --json.
		expect((await run(["health", "--detailed"], { healthDetailed })).stdout).toContain(
			"bindings: tasks ok, step_queue ok",
		);
		expect(
			(await run(["health"], { health: async () => ({ status: "healthy", timestamp: "t" }) })).code,
		).toBe(0);
	});

	it("passes --initiator and --source-system to the task list", async () => {
		let asked: unknown;
		const result = await run(["task", "list", "--initiator", "ops", "--source-system", "billing"], {
			listTasks: async (options) => {
				asked = options;
				return {
					tasks: [],
					pagination: {
						page: 1,
						perPage: 25,
						totalCount: 0,
						totalPages: 0,
						hasNext: false,
						hasPrevious: false,
					},
				};
			},
		});
		expect(result.code).toBe(0);
		expect(asked).toMatchObject({ initiator: "ops", sourceSystem: "billing" });
	});
});
