// The real `tasker` bin against the e2e wrangler dev: exit codes and output.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { seedOrderRequest } from "../../scripts/lib/seed-order";
import { runTasker } from "./run-tasker-cli";

const url = inject("taskerUrl");
const tasker = (args: string[]) => runTasker(args, { TASKER_URL: url });

async function tempFile(name: string, text: string): Promise<string> {
	const file = join(await mkdtemp(join(tmpdir(), "tasker-cli-e2e-")), name);
	await writeFile(file, text);
	return file;
}

describe("the tasker CLI on wrangler dev", () => {
	it("task create --wait --json follows a fresh order until it is complete", async () => {
		const context = await tempFile("order.json", JSON.stringify(seedOrderRequest().context));
		const result = await tasker([
			"task",
			"create",
			"order_processing",
			"--context",
			`@${context}`,
			"--initiator",
			"cli:e2e",
			"--source-system",
			"e2e",
			"--reason",
			"CLI end to end",
			"--wait",
			"--json",
		]);
		expect(result.stderr).toMatch(/4\/4 steps done, complete/);
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toMatchObject({ status: "complete", completed_steps: 4 });
	});

	it("analytics performance, dlq queue, dlq staleness and config answer with exit 0", async () => {
		const performance = await tasker(["analytics", "performance", "--hours", "1", "--json"]);
		expect(performance.code).toBe(0);
		expect(JSON.parse(performance.stdout)).toHaveProperty("completion_rate");
		const [bottlenecks, queue, staleness, config] = await Promise.all([
			tasker(["analytics", "bottlenecks", "--min-executions", "1"]),
			tasker(["dlq", "queue"]),
			tasker(["dlq", "staleness"]),
			tasker(["config"]),
		]);
		expect(bottlenecks.code).toBe(0);
		expect(bottlenecks.stdout).toContain("Slowest steps");
		expect(queue.stdout).toContain("PRIORITY");
		expect(staleness.stdout).toContain("HEALTH");
		expect(config.code).toBe(0);
		expect(JSON.parse(config.stdout).messaging.backend).toBe("cloudflare_queues");
	}, 90_000);

	it("health --ready exits 0 and reports templates and handlers", async () => {
		const result = await tasker(["health", "--ready"]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^ready\ntemplates: healthy \(\d+\)\nhandlers: healthy \(\d+\)/);
	});

	it("task get of an unknown uuid exits 1 with NOT_FOUND", async () => {
		const result = await tasker(["task", "get", "01a213c4-5220-71db-b60e-000000000000"]);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/^NOT_FOUND: /);
	});

	it("template validate of a broken YAML exits 5 naming each problem", async () => {
		const file = await tempFile("broken.yaml", "name: broken\nnamespace_name: default\nsteps: []\n");
		const result = await tasker(["template", "validate", file]);
		expect(result.code).toBe(5);
		expect(result.stderr).toContain(`${file}: `);
	});

	it("template graph --mermaid prints the seed's four edges", async () => {
		const result = await tasker(["template", "graph", "default", "order_processing", "--mermaid"]);
		expect(result.code).toBe(0);
		expect(result.stdout.trim().split("\n")).toEqual([
			"flowchart TD",
			"    validate_order --> reserve_inventory",
			"    validate_order --> notify_customer",
			"    reserve_inventory --> charge_payment",
		]);
	});

	it("an unreachable server exits 3", async () => {
		const result = await tasker(["--url", "http://127.0.0.1:9", "template", "list"]);
		expect(result.code).toBe(3);
		expect(result.stderr).toMatch(/^NETWORK_ERROR: /);
	});
});
