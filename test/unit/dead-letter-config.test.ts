// Every step queue's consumer names the one dead-letter queue, and the orchestrator consumes it: a
// message the queue gives up on is recorded, never deleted (Cloudflare deletes it when no DLQ is set).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEAD_LETTER_QUEUE } from "../../src/queue/dead-letter-consumer";

/** The `[[queues.consumers]]` tables of a wrangler.toml, as key → value (strings unquoted). */
function consumers(path: string): Array<Record<string, string>> {
	const text = readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
	return text
		.split(/^\[/m)
		.filter((block) => block.startsWith("[queues.consumers]]"))
		.map((block) =>
			Object.fromEntries(
				[...block.matchAll(/^(\w+)\s*=\s*"?([^"\n]*)"?\s*$/gm)].map((m) => [m[1] as string, m[2] as string]),
			),
		);
}

describe("dead-letter queue configuration", () => {
	const orchestrator = consumers("wrangler.toml");
	const billing = consumers("examples/billing-worker/wrangler.toml");

	it("every step queue, the orchestrator's and each namespace Worker's, sends its dead letters to the one DLQ", () => {
		const stepQueues = [...orchestrator, ...billing].filter((c) => c.queue !== DEAD_LETTER_QUEUE);
		expect(stepQueues.map((c) => c.queue).sort()).toEqual(["tasker-steps", "tasker-steps-billing"]);
		for (const consumer of stepQueues)
			expect(consumer).toMatchObject({ dead_letter_queue: DEAD_LETTER_QUEUE });
	});

	it("the orchestrator consumes the DLQ itself, with no DLQ of its own", () => {
		const dlq = orchestrator.find((c) => c.queue === DEAD_LETTER_QUEUE);
		expect(dlq).toMatchObject({ max_batch_timeout: "0" });
		expect(dlq).not.toHaveProperty("dead_letter_queue");
		expect(Number(dlq?.max_retries)).toBeGreaterThanOrEqual(10);
	});
});
