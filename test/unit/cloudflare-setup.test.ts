// `npm run setup:cloudflare`: what it creates for the project's wrangler.toml, that a second run creates
// nothing, how the D1 id is written into the config (comments kept), and the dry run: offline, no change.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
	createdDatabaseId,
	describeAction,
	PLACEHOLDER_D1_ID,
	planSetup,
	setupNeeds,
	withDatabaseId,
} from "../../scripts/lib/cloudflare-setup";
import { PROJECT_ROOT } from "../../scripts/lib/load-project";

const ID = "3f2c9a1e-5b7d-4c8e-9f01-23456789abcd";

async function projectConfig() {
	const { experimental_readRawConfig } = await import("wrangler");
	return experimental_readRawConfig({ config: join(PROJECT_ROOT, "wrangler.toml") }).rawConfig;
}

describe("setup:cloudflare's plan", () => {
	it("needs every queue of the config once (producers, consumers, the DLQ) and the D1 database", async () => {
		const needs = setupNeeds((await projectConfig()) as Parameters<typeof setupNeeds>[0]);
		expect(needs.queues).toContain("tasker-steps");
		expect(needs.queues).toContain("tasker-steps-dlq");
		expect(new Set(needs.queues).size).toBe(needs.queues.length);
		expect(needs.d1).toEqual([{ binding: "TASK_INDEX", name: "tasker-task-index", id: null }]);
	}, 60_000);

	it("creates what is missing, keeps what exists, and a second run creates nothing", () => {
		const needs = { queues: ["q1", "q-dlq"], d1: [{ binding: "DB", name: "db", id: null }] };
		expect(planSetup(needs, { queues: ["q1"], d1: [] })).toEqual([
			{ kind: "queue_exists", name: "q1" },
			{ kind: "create_queue", name: "q-dlq" },
			{ kind: "create_d1", name: "db", binding: "DB" },
		]);
		// After the first run: everything exists, the config has the id.
		const again = planSetup(
			{ ...needs, d1: [{ binding: "DB", name: "db", id: ID }] },
			{ queues: ["q1", "q-dlq"], d1: [{ name: "db", uuid: ID }] },
		);
		expect(again.filter((a) => a.kind === "create_queue" || a.kind === "create_d1")).toEqual([]);
		expect(again.at(-1)).toEqual({ kind: "d1_exists", name: "db", binding: "DB", id: ID, writeId: false });
		// A database made by hand (or by another run) whose id the config lacks: its id is written.
		expect(planSetup(needs, { queues: [], d1: [{ name: "db", uuid: ID }] }).at(-1)).toMatchObject({
			writeId: true,
		});
		expect(describeAction({ kind: "create_queue", name: "q" }, true)).toBe(
			"would create queue q (unless it exists)",
		);
	});

	it("writes the database id into its own [[d1_databases]] table, leaving the rest of the file as it was", async () => {
		const toml = await readFile(join(PROJECT_ROOT, "wrangler.toml"), "utf8");
		expect(toml).toContain(`database_id = "${PLACEHOLDER_D1_ID}"`);
		const written = withDatabaseId(toml, "tasker-task-index", ID);
		expect(written).toBe(toml.replace(`database_id = "${PLACEHOLDER_D1_ID}"`, `database_id = "${ID}"`));
		expect(withDatabaseId(written, "tasker-task-index", ID)).toBe(written);
		expect(() => withDatabaseId(toml, "another-db", ID)).toThrow(/another-db/);
	});

	it("reads the new database's id from wrangler's output, as TOML or as JSON", () => {
		expect(
			createdDatabaseId(`[[d1_databases]]\nbinding = "DB"\ndatabase_name = "x"\ndatabase_id = "${ID}"`),
		).toBe(ID);
		expect(createdDatabaseId(`{"d1_databases": [{"binding": "DB", "database_id": "${ID}"}]}`)).toBe(ID);
		expect(createdDatabaseId("✘ [ERROR] A request to the Cloudflare API failed")).toBeNull();
	});
});

describe("setup:cloudflare --dry-run", () => {
	it("prints what it would create, changes nothing and needs no account or network", async () => {
		const before = await readFile(join(PROJECT_ROOT, "wrangler.toml"), "utf8");
		const { stdout } = await promisify(execFile)(
			join(PROJECT_ROOT, "node_modules", ".bin", "tsx"),
			["scripts/setup-cloudflare.ts", "--dry-run"],
			{
				cwd: PROJECT_ROOT,
				// No credentials, and any request would go to a proxy that does not exist.
				env: {
					PATH: process.env.PATH,
					HOME: process.env.HOME,
					HTTPS_PROXY: "http://127.0.0.1:9",
					HTTP_PROXY: "http://127.0.0.1:9",
					WRANGLER_SEND_METRICS: "false",
				} as unknown as NodeJS.ProcessEnv,
			},
		);
		expect(stdout).toContain("would create queue tasker-steps (unless it exists)");
		expect(stdout).toContain("would create queue tasker-steps-dlq (unless it exists)");
		expect(stdout).toContain("would create D1 database tasker-task-index");
		expect(stdout).toContain("nothing was created");
		expect(await readFile(join(PROJECT_ROOT, "wrangler.toml"), "utf8")).toBe(before);
	}, 90_000);
});
