// Dead letters in the pure core: a step message the queue gave up on becomes a permanent failure of
// that attempt and a DLQ entry, fenced by attempt like a result; a late or duplicate one is dropped
// and counted. And the DLQ entry's own rules: a resolution is final.
import { describe, expect, it } from "vitest";
import { applyDlqPatch, type DlqEntry } from "../../src/core/dlq-entry";
import { STEP_DEADLINE_GRACE_MS } from "../../src/limits";
import { EngineDriver, names, success } from "../support/engine-driver";
import { dagTemplate } from "../support/template-builders";

describe("a dead letter", () => {
	it("fails its attempt for good (delivery_exhausted), ends the task, and stages a DLQ entry", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: ["a"] }));
		const [a] = d.alarm();
		if (!a) throw new Error("no root");
		const outcome = d.deadLetter(a, 10);
		expect(outcome).toMatchObject({ kind: "applied", stepState: "error", taskStatus: "error" });
		expect(d.step("a")).toMatchObject({
			state: "error",
			attempt: 1,
			lastError: { error_type: "delivery_exhausted", error_code: "DELIVERY_EXHAUSTED", retryable: false },
		});
		expect(d.step("a").lastError?.message).toContain("after 10 deliveries");
		expect(d.task.stats).toMatchObject({ deadLetters: 1, deadLettersDropped: 0 });
		expect(d.store.dlqEntries).toEqual([
			expect.objectContaining({
				dlq_entry_uuid: outcome.kind === "applied" ? outcome.dlqEntryUuid : "",
				dlq_reason: "worker_unavailable",
				original_state: "steps_in_process",
				resolution_status: "pending",
				metadata: expect.objectContaining({ step_name: "a", attempt: 1, deliveries: 10 }),
			}),
		]);
	});

	it("is dropped and counted when it comes twice, or after the task finished", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }));
		const [a] = d.alarm();
		if (!a) throw new Error("no root");
		d.deadLetter(a);
		expect(d.deadLetter(a)).toEqual({ kind: "dropped", reason: "task_finished" });
		expect(d.task.stats).toMatchObject({ deadLetters: 1, deadLettersDropped: 1, resultsDropped: 1 });
		expect(d.store.dlqEntries).toHaveLength(1);
	});

	it("of an attempt already superseded (timed out and retried) is dropped: the retry goes on", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [] }, { backoff: "none" }));
		const [first] = d.alarm();
		if (!first || d.claim(first).kind !== "run") throw new Error("no run");
		d.now += 30_000 + STEP_DEADLINE_GRACE_MS;
		const [retry] = d.alarm();
		if (!retry) throw new Error("no retry");
		expect(retry.attempt).toBe(2);
		expect(d.deadLetter(first)).toEqual({ kind: "dropped", reason: "stale_attempt" });
		d.complete(retry);
		expect(d.task.status).toBe("complete");
		expect(d.store.dlqEntries).toEqual([]);
	});

	it("of a step already done is dropped, while its siblings run on", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: [] }));
		const roots = d.alarm();
		const [a, b] = roots;
		if (!a || !b) throw new Error("no roots");
		expect(names(roots)).toEqual(["a", "b"]);
		d.complete(a);
		expect(d.deadLetter(a)).toEqual({ kind: "dropped", reason: "step_not_in_flight" });
		expect(d.task.status).toBe("steps_in_process");
	});

	it("of one branch blocks the task while the other branch finishes, then the task is in error", () => {
		const d = new EngineDriver();
		d.create(dagTemplate({ a: [], b: [] }));
		const [a, b] = d.alarm();
		if (!a || !b) throw new Error("no roots");
		expect(d.claim(b).kind).toBe("run");
		expect(d.deadLetter(a)).toMatchObject({ kind: "applied", taskStatus: "blocked_by_failures" });
		expect(d.report(b, success(2))).toMatchObject({ kind: "applied", taskStatus: "error" });
	});
});

describe("resolving a DLQ entry", () => {
	const entry: DlqEntry = {
		dlq_entry_uuid: "e-1",
		task_uuid: "t-1",
		namespace: "n",
		task_name: "t",
		original_state: "steps_in_process",
		dlq_reason: "staleness_timeout",
		dlq_timestamp: 1_000,
		task_snapshot: {},
		resolution_status: "pending",
		resolution_notes: null,
		resolved_at: null,
		resolved_by: null,
		metadata: { threshold: "max_duration_minutes" },
	};

	it("moves a pending entry to a resolution once, with who and when; notes may be amended later", () => {
		const resolved = applyDlqPatch(
			entry,
			{ resolution_status: "manually_resolved", resolution_notes: "queue fixed", resolved_by: "ops" },
			5_000,
		);
		expect(resolved).toEqual({
			ok: true,
			entry: {
				...entry,
				resolution_status: "manually_resolved",
				resolution_notes: "queue fixed",
				resolved_by: "ops",
				resolved_at: 5_000,
			},
		});
		if (!resolved.ok) return;
		// Repeating the same status (a retried PATCH) is allowed and keeps the first resolution time.
		expect(applyDlqPatch(resolved.entry, { resolution_status: "manually_resolved" }, 9_000)).toMatchObject({
			ok: true,
			entry: { resolved_at: 5_000 },
		});
		expect(
			applyDlqPatch(resolved.entry, { resolution_notes: "root cause: a bad deploy" }, 9_000),
		).toMatchObject({
			ok: true,
			entry: { resolution_notes: "root cause: a bad deploy", resolution_status: "manually_resolved" },
		});
	});

	it("refuses to change a resolution, or to reopen an entry", () => {
		const resolved = applyDlqPatch(entry, { resolution_status: "cancelled" }, 5_000);
		if (!resolved.ok) throw new Error("refused");
		const changed = applyDlqPatch(resolved.entry, { resolution_status: "permanently_failed" }, 6_000);
		expect(changed).toEqual({
			ok: false,
			message:
				"DLQ entry e-1 is already cancelled: only a pending entry can be resolved (to permanently_failed)",
		});
		expect(applyDlqPatch(resolved.entry, { resolution_status: "pending" }, 6_000)).toMatchObject({
			ok: false,
		});
	});
});
