// The DLQ in the TypeScript client (requests built, answers camelCased at the top only) and in the CLI
// (`tasker dlq list|show|resolve|stats` through runCli with a fake client: arguments, output, exit codes).
import { describe, expect, it } from "vitest";
import type { CliClient } from "../../src/cli/cli-client";
import { runCli } from "../../src/cli/main";
import { recordingOutput } from "../../src/cli/output";
import { type DlqEntry, TaskerClient } from "../../src/client";

const ENTRY_UUID = "019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b";
const TASK_UUID = "019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5c";

const entryBody = {
	dlq_entry_uuid: ENTRY_UUID,
	task_uuid: TASK_UUID,
	namespace: "default",
	task_name: "order_processing",
	original_state: "steps_in_process",
	dlq_reason: "staleness_timeout",
	dlq_timestamp: "2026-11-25T10:00:00.000Z",
	resolution_status: "pending",
	resolution_notes: null,
	resolved_at: null,
	resolved_by: null,
	metadata: { threshold: "max_steps_in_process_minutes" },
	task_snapshot: {
		status: "error",
		unfinished_steps: [
			{
				name: "validate_order",
				state: "error",
				attempts: 1,
				last_error: { error_type: "staleness_timeout" },
			},
		],
	},
};

const statsBody = {
	total_entries: 3,
	pending: 1,
	by_reason: [
		{
			dlq_reason: "staleness_timeout",
			total_entries: 2,
			pending: 1,
			manually_resolved: 1,
			permanent_failures: 0,
			cancelled: 0,
			oldest_entry: "2026-11-25T10:00:00.000Z",
			newest_entry: "2026-11-25T11:00:00.000Z",
			avg_resolution_time_minutes: 12.5,
		},
		{
			dlq_reason: "worker_unavailable",
			total_entries: 1,
			pending: 0,
			manually_resolved: 0,
			permanent_failures: 0,
			cancelled: 1,
			oldest_entry: null,
			newest_entry: null,
			avg_resolution_time_minutes: null,
		},
	],
};

function recordingClient(answer: unknown) {
	const requests: Array<{ method: string; url: URL; body: string | undefined }> = [];
	const client = new TaskerClient({
		baseUrl: "http://tasker.test",
		fetch: async (input: string, init?: RequestInit) => {
			requests.push({
				method: init?.method ?? "GET",
				url: new URL(input),
				body: typeof init?.body === "string" ? init.body : undefined,
			});
			return new Response(JSON.stringify(answer), { headers: { "content-type": "application/json" } });
		},
	});
	return { client, requests };
}

describe("TaskerClient's DLQ methods", () => {
	it("listDlq sends the filter and paging in snake_case and camelCases the entries", async () => {
		const { client, requests } = recordingClient({
			entries: [entryBody],
			total_count: 1,
			limit: 10,
			offset: 0,
		});
		const list = await client.listDlq({ resolutionStatus: "pending", limit: 10 });
		expect(requests[0]?.url.pathname).toBe("/v1/dlq");
		expect(Object.fromEntries(requests[0]?.url.searchParams ?? [])).toEqual({
			resolution_status: "pending",
			limit: "10",
		});
		expect(list).toMatchObject({ totalCount: 1, limit: 10, offset: 0 });
		expect(list.entries[0]).toMatchObject({ dlqEntryUuid: ENTRY_UUID, dlqReason: "staleness_timeout" });
	});

	it("getDlqEntry reads a task's entry; its snapshot and metadata stay as the server wrote them", async () => {
		const { client, requests } = recordingClient(entryBody);
		const entry: DlqEntry = await client.getDlqEntry(TASK_UUID);
		expect(requests[0]?.url.pathname).toBe(`/v1/dlq/task/${TASK_UUID}`);
		expect(entry.taskSnapshot).toEqual(entryBody.task_snapshot);
		expect(entry.metadata).toEqual({ threshold: "max_steps_in_process_minutes" });
	});

	it("updateDlqEntry PATCHes only the fields given, in snake_case", async () => {
		const { client, requests } = recordingClient({ ...entryBody, resolution_status: "cancelled" });
		const entry = await client.updateDlqEntry(ENTRY_UUID, {
			resolutionStatus: "cancelled",
			resolvedBy: "ops",
		});
		expect(requests[0]).toMatchObject({ method: "PATCH" });
		expect(requests[0]?.url.pathname).toBe(`/v1/dlq/entry/${ENTRY_UUID}`);
		expect(JSON.parse(requests[0]?.body ?? "")).toEqual({
			resolution_status: "cancelled",
			resolved_by: "ops",
		});
		expect(entry.resolutionStatus).toBe("cancelled");
	});

	it("dlqStats camelCases the totals and each reason", async () => {
		const { client } = recordingClient(statsBody);
		const stats = await client.dlqStats();
		expect(stats).toMatchObject({ totalEntries: 3, pending: 1 });
		expect(stats.byReason[0]).toMatchObject({
			dlqReason: "staleness_timeout",
			avgResolutionTimeMinutes: 12.5,
		});
	});
});

async function run(argv: string[], methods: Partial<CliClient>) {
	const output = recordingOutput();
	const client = new Proxy(methods, {
		get: (target, key: string) =>
			target[key as keyof CliClient] ?? (() => Promise.reject(new Error(`unexpected call: ${key}`))),
	}) as CliClient;
	const code = await runCli(argv, {
		output,
		env: { TASKER_URL: "http://tasker.test" },
		makeClient: () => client,
	});
	return { code, stdout: output.stdout.join("\n"), stderr: output.stderr.join("\n") };
}

const camelEntry = {
	dlqEntryUuid: ENTRY_UUID,
	taskUuid: TASK_UUID,
	namespace: "default",
	taskName: "order_processing",
	originalState: "steps_in_process",
	dlqReason: "staleness_timeout",
	dlqTimestamp: "2026-11-25T10:00:00.000Z",
	resolutionStatus: "pending",
	resolutionNotes: null,
	resolvedAt: null,
	resolvedBy: null,
	metadata: { threshold: "max_steps_in_process_minutes" },
	taskSnapshot: entryBody.task_snapshot,
} satisfies DlqEntry;

describe("tasker dlq", () => {
	it("list passes --status, --limit and --offset and prints a table", async () => {
		const seen: unknown[] = [];
		const result = await run(["dlq", "list", "--status", "pending", "--limit", "5", "--offset", "10"], {
			listDlq: async (options) => {
				seen.push(options);
				return { entries: [camelEntry], totalCount: 11, limit: 5, offset: 10 };
			},
		});
		expect(result.code).toBe(0);
		expect(seen).toEqual([{ resolutionStatus: "pending", limit: 5, offset: 10 }]);
		expect(result.stdout).toContain("REASON");
		expect(result.stdout).toContain("default/order_processing");
		expect(result.stdout).toContain("11-11 of 11");
	});

	it("list refuses an unknown status with a usage error (exit 2)", async () => {
		const result = await run(["dlq", "list", "--status", "open"], {});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain(
			"expected one of: pending, manually_resolved, permanently_failed, cancelled",
		);
	});

	it("show prints the entry and the unfinished steps of its snapshot; --json the API's JSON", async () => {
		const shown = await run(["dlq", "show", TASK_UUID], { getDlqEntry: async () => camelEntry });
		expect(shown.code).toBe(0);
		expect(shown.stdout).toContain("staleness_timeout");
		expect(shown.stdout).toMatch(/validate_order\s+error\s+1\s+staleness_timeout/);
		const json = await run(["--json", "dlq", "show", TASK_UUID], { getDlqEntry: async () => camelEntry });
		expect(JSON.parse(json.stdout)).toEqual(entryBody);
	});

	it("resolve sends the status, notes, operator and metadata", async () => {
		const seen: unknown[] = [];
		const result = await run(
			[
				"dlq",
				"resolve",
				ENTRY_UUID,
				"--status",
				"permanently_failed",
				"--notes",
				"bad data",
				"--by",
				"ops",
				"--metadata",
				'{"ticket":"OPS-1"}',
			],
			{
				updateDlqEntry: async (uuid, options) => {
					seen.push([uuid, options]);
					return { ...camelEntry, resolutionStatus: "permanently_failed" };
				},
			},
		);
		expect(result.code).toBe(0);
		expect(seen).toEqual([
			[
				ENTRY_UUID,
				{
					resolutionStatus: "permanently_failed",
					resolutionNotes: "bad data",
					resolvedBy: "ops",
					metadata: { ticket: "OPS-1" },
				},
			],
		]);
		expect(result.stdout).toContain("permanently_failed");
	});

	it("stats prints a row per reason and the totals", async () => {
		const result = await run(["dlq", "stats"], {
			dlqStats: async () => ({
				totalEntries: 3,
				pending: 1,
				byReason: statsBody.by_reason.map((r) => ({
					dlqReason: r.dlq_reason as "staleness_timeout",
					totalEntries: r.total_entries,
					pending: r.pending,
					manuallyResolved: r.manually_resolved,
					permanentFailures: r.permanent_failures,
					cancelled: r.cancelled,
					oldestEntry: r.oldest_entry,
					newestEntry: r.newest_entry,
					avgResolutionTimeMinutes: r.avg_resolution_time_minutes,
				})),
			}),
		});
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/staleness_timeout\s+2\s+1\s+1\s+0\s+0\s+12\.5/);
		expect(result.stdout).toContain("3 entries, 1 pending");
	});
});
