// What the two wait properties share (task-engine-waits-chaos on the engine, runtime-waits-chaos on the
// task runtime): a task that waits for an event, then sleeps, and the platform's actions against it.
import fc from "fast-check";
import type { TaskTemplate } from "../../src/templates/task-template";
import { validateTemplateText } from "../../src/templates/validate-template";

export function waitThenSleepTemplate(): TaskTemplate {
	const result = validateTemplateText(`name: waits_chaos
namespace_name: testing
version: 1.0.0
steps:
  - { name: first, handler: { callable: First } }
  - name: wait
    type: wait_for_event
    dependencies: [first]
    event: { name: go, timeout_seconds: 60, on_timeout: complete_with_null }
  - { name: nap, type: sleep, sleep: { seconds: 5 }, dependencies: [wait] }
  - { name: last, handler: { callable: Last }, dependencies: [nap] }
`);
	if (!result.ok) throw new Error(JSON.stringify(result.problems));
	return result.template;
}

/** An event (four ids, so duplicates come often), an alarm pass (maybe twice), or the queue's handlers running. */
export type WaitAction =
	| { kind: "event"; id: number; advanceMs: number }
	| { kind: "alarm"; twice: boolean; advanceMs: number }
	| { kind: "run_handlers"; advanceMs: number };

export const advanceMs = fc.integer({ min: 0, max: 40_000 });

export const waitActions: ReadonlyArray<fc.Arbitrary<WaitAction>> = [
	fc.record({ kind: fc.constant("event" as const), id: fc.integer({ min: 0, max: 3 }), advanceMs }),
	fc.record({ kind: fc.constant("alarm" as const), twice: fc.boolean(), advanceMs }),
	fc.record({ kind: fc.constant("run_handlers" as const), advanceMs: fc.integer({ min: 0, max: 5_000 }) }),
];
