// Waits on the shipped task runtime under at-least-once delivery, with random interleavings (fast-check):
// events duplicated, sent early (before the step waits) or late (after its timeout); alarms fired twice
// or at any time; sends failing for a while; the object restarting between calls. Whatever the order,
// the waiting step completes once, with the payload of the first event that reached it (or null at its
// timeout), its dependents run after it, and the task always finishes. (The engine alone is checked the
// same way in task-engine-waits-chaos.test.ts; this drives the runtime's sequencing around it.)
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { StepMessage } from "../../src/core/step-message";
import { RuntimeHarness } from "../support/runtime-harness";
import { advanceMs, type WaitAction, waitActions, waitThenSleepTemplate } from "../support/waits-chaos";

const template = waitThenSleepTemplate;

/** Beyond the engine's actions: sends failing for a while, and the object restarting between calls. */
type Action =
	| WaitAction
	| { kind: "sends"; failing: boolean; advanceMs: number }
	| { kind: "restart"; advanceMs: number };

const action: fc.Arbitrary<Action> = fc.oneof(
	...waitActions,
	fc.record({ kind: fc.constant("sends" as const), failing: fc.boolean(), advanceMs }),
	fc.record({ kind: fc.constant("restart" as const), advanceMs }),
);

const ok = (name: string) => ({
	success: true as const,
	result: { ok: name },
	metadata: {},
	execution_time_ms: 1,
});

beforeAll(() => {
	vi.spyOn(console, "log").mockImplementation(() => {});
});
afterAll(() => {
	vi.restoreAllMocks();
});

describe("waits on the task runtime, under duplicated, early and late events, repeated alarms, failed sends and restarts", () => {
	it("complete once, with the first payload that reached them, and the task always finishes", async () => {
		const seen = { delivered: 0, kept: 0, timedOut: 0, duplicates: 0 };
		await fc.assert(
			fc.asyncProperty(fc.array(action, { maxLength: 30 }), async (actions) => {
				const h = new RuntimeHarness();
				await h.createFrom(template());
				const delivered: StepMessage[] = [];
				let firstDelivered: number | null = null;
				// The queue delivers what it accepted, possibly again (the claim window re-sends): a
				// duplicate's claim is dropped.
				const runHandlers = async () => {
					for (;;) {
						delivered.push(...h.sent.splice(0).flat());
						const message = delivered.shift();
						if (!message) return;
						const [claim] = await h.runtime.claimMany([
							{ stepUuid: message.step_uuid, attempt: message.attempt },
						]);
						if (claim?.kind !== "run") continue;
						await h.runtime.reportMany([
							{ stepUuid: message.step_uuid, attempt: message.attempt, outcome: ok(message.step_name) },
						]);
					}
				};
				for (const a of actions) {
					h.now += a.advanceMs;
					if (a.kind === "event") {
						const reply = await h.runtime.sendEvent({
							name: "go",
							payload: { id: a.id },
							eventId: `e-${a.id}`,
						});
						if (reply.kind === "buffered") seen.kept += 1;
						if (reply.kind === "duplicate") seen.duplicates += 1;
						if (reply.kind === "delivered") {
							seen.delivered += 1;
							expect(firstDelivered).toBeNull();
							firstDelivered = a.id;
						}
					} else if (a.kind === "alarm") {
						await h.runtime.alarmFired();
						if (a.twice) await h.runtime.alarmFired();
					} else if (a.kind === "sends") h.failSends = a.failing;
					else if (a.kind === "restart") h.restart();
					else await runHandlers();
				}
				// Then the platform recovers and time runs out for everything: alarms and handlers until the end.
				h.failSends = false;
				for (let i = 0; i < 10 && h.store.loadTask()?.status !== "complete"; i += 1) {
					h.now += 61_000;
					await h.runtime.alarmFired();
					await runHandlers();
				}
				expect(h.store.loadTask()?.status).toBe("complete");
				const wait = h.step("wait");
				const log = h.store.listTransitions(wait.stepUuid).map((t) => t.toState);
				expect(log.filter((s) => s === "complete")).toHaveLength(1);
				expect(log.at(-1)).toBe("complete");
				// Its result: the first event that reached it (delivered, or kept and taken at its start), or null.
				const result = wait.result?.result as { id: number } | null;
				if (result === null) seen.timedOut += 1;
				if (firstDelivered !== null) expect(result).toEqual({ id: firstDelivered });
				if (result !== null) expect(h.store.events.find(`e-${result.id}`)?.consumedBy).toBe(wait.stepUuid);
				expect(h.store.events.events.filter((e) => e.consumedBy !== null).length).toBeLessThanOrEqual(1);
				// Its dependents ran after it, once each.
				const completedAt = (name: string) =>
					h.store.listTransitions(h.step(name).stepUuid).find((t) => t.toState === "complete")?.seq ?? -1;
				expect(completedAt("nap")).toBeGreaterThan(completedAt("wait"));
				expect(completedAt("last")).toBeGreaterThan(completedAt("nap"));
				expect(h.store.loadTask()?.stats.resultsApplied).toBe(2);
			}),
			{ numRuns: Number(process.env.CHAOS_RUNS ?? 200) },
		);
		// The generator reaches every case, or the property proves less than it says.
		for (const [what, count] of Object.entries(seen)) expect(count, what).toBeGreaterThan(0);
	}, 120_000);
});
