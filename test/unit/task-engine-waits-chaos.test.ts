// Waits under at-least-once delivery, with random interleavings (fast-check): events duplicated, sent
// early (before the step waits), late (after its timeout), and alarm passes fired twice or at any
// time. Whatever the order, the waiting step completes at most once, with the payload of the first
// event that reached it (or null at its timeout), never goes back to waiting once complete, and the
// task always finishes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deliverEvent } from "../../src/core/wait-event";
import { EngineDriver, SEND_GRACE_MS, success } from "../support/engine-driver";
import { type WaitAction, waitActions, waitThenSleepTemplate } from "../support/waits-chaos";

const template = waitThenSleepTemplate;
const action: fc.Arbitrary<WaitAction> = fc.oneof(...waitActions);

describe("waits under duplicated, early and late events and repeated alarms", () => {
	it("complete at most once, with the first payload that reached them, and the task always finishes", () => {
		fc.assert(
			fc.property(fc.array(action, { maxLength: 30 }), (actions) => {
				const d = new EngineDriver();
				d.create(template());
				const queue = [...d.alarm()];
				let firstDelivered: number | null = null;
				const runHandlers = () => {
					while (queue.length > 0) {
						const message = queue.shift();
						if (!message) continue;
						// A message may come twice (the claim window re-sends it): a duplicate's claim is dropped.
						if (d.claim(message).kind !== "run") continue;
						const outcome = d.report(message, success({ ok: message.step_name }));
						if (outcome.kind === "applied") queue.push(...outcome.effects.dispatches);
					}
				};
				for (const a of actions) {
					d.now += a.advanceMs;
					if (a.kind === "event") {
						const outcome = deliverEvent(
							d.store,
							{ name: "go", payload: { id: a.id }, eventId: `e-${a.id}` },
							d.now,
							() => "x",
							SEND_GRACE_MS,
						);
						if (outcome.kind === "delivered") {
							expect(firstDelivered).toBeNull();
							firstDelivered = a.id;
							queue.push(...outcome.effects.dispatches);
						}
					} else if (a.kind === "alarm") {
						queue.push(...d.alarm());
						if (a.twice) queue.push(...d.alarm());
					} else runHandlers();
				}
				// Then time runs out for everything: alarms and handlers until the task is finished.
				for (let i = 0; i < 10 && d.task.status !== "complete"; i += 1) {
					d.now += 61_000;
					queue.push(...d.alarm());
					runHandlers();
				}
				expect(d.task.status).toBe("complete");
				const wait = d.step("wait");
				const log = d.store.listTransitions(wait.stepUuid).map((t) => t.toState);
				expect(log.filter((s) => s === "complete")).toHaveLength(1);
				expect(log.at(-1)).toBe("complete");
				// Its result: the first event that reached it (delivered, or kept and taken at its start), or null.
				const result = wait.result?.result as { id: number } | null;
				if (firstDelivered !== null) expect(result).toEqual({ id: firstDelivered });
				if (result !== null) {
					const kept = d.store.events.find(`e-${result.id}`);
					expect(kept?.consumedBy).toBe(wait.stepUuid);
				}
				// Every event was recorded once, and at most one was taken by the step.
				expect(d.store.events.events.filter((e) => e.consumedBy !== null).length).toBeLessThanOrEqual(1);
				expect(d.step("nap").state).toBe("complete");
			}),
			{ numRuns: Number(process.env.CHAOS_RUNS ?? 200) },
		);
	}, 120_000);
});
