// The SQLite store holds a transaction's step, transition and meta writes and writes them at its end: a
// few rows one statement each (a new object then prepares only the one-row statements), more rows of a
// table in one statement. Counted here by statements reaching SQLite, and checked for what a rollback, a
// row too big to share a statement, and the task's billed-row counters make of it.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SqliteTaskStore } from "../../durable-objects/sqlite-task-store";
import { createTask } from "../../src/core/create-task";
import type { StepRecord } from "../../src/core/task-records";
import { countingSql } from "../support/counting-sql";
import { inStoreTransaction } from "../support/store-transaction";
import { createInput, dagTemplate, numberedIds } from "../support/template-builders";

const NOW = 1_700_000_000_000;
const RESULT_META = { execution_time_ms: 1, attempt: 1, custom: {} };

/** a → (b, c, d), or with `children` more of them: created in its own transaction. */
function createFan(state: DurableObjectState, store: SqliteTaskStore, children = 3): void {
	const names = Array.from({ length: children }, (_, i) => `child_${i + 1}`);
	inStoreTransaction(state, store, () =>
		createTask(
			store,
			createInput(
				"00000000-0000-4000-8000-00000000000f",
				dagTemplate({ a: [], ...Object.fromEntries(names.map((name) => [name, ["a"]])) }),
			),
			NOW,
			numberedIds("s-"),
			5_000,
		),
	);
}

/** The uuids numberedIds("s-") gave steps `from` to `to`, in order. */
function stepUuids(from: number, to: number): string[] {
	return Array.from({ length: to - from + 1 }, (_, i) => `s-${from + i}`);
}

function step(store: SqliteTaskStore, uuid: string): StepRecord {
	const found = store.getStep(uuid);
	if (!found) throw new Error(`no step ${uuid}`);
	return found;
}

/** Children released (three unless told), each with its transition, a mark and the task row: a report. */
function releaseChildren(
	store: SqliteTaskStore,
	resultOfB: unknown = { ok: true },
	alarmAt = NOW + 5_000,
	children = 3,
): void {
	const task = store.loadTask();
	if (!task) throw new Error("no task");
	let seq = task.transitionSeq;
	for (let idx = 1; idx <= children; idx++) {
		const uuid = `s-${idx}`;
		const result = uuid === "s-1" ? { result: resultOfB, metadata: RESULT_META } : null;
		store.saveStep({ ...step(store, uuid), state: "enqueued", attempt: 1, result });
		seq += 1;
		store.appendTransition({
			seq,
			stepIdx: idx,
			stepUuid: uuid,
			stepName: null,
			fromState: "pending",
			toState: "enqueued",
			attempt: 1,
			at: NOW + 1,
			metadata: {},
		});
	}
	store.setMeta("alarm_at", alarmAt);
	store.saveTask({ ...task, transitionSeq: seq, updatedAt: NOW + 1 });
}

describe("a transaction's writes, held to its end", () => {
	it("a new task reads back nothing it wrote and prepares one statement per table written", async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		await runInDurableObject(stub, (_instance, state) => {
			const counted = countingSql(state.storage.sql);
			const store = new SqliteTaskStore(counted.sql);
			createFan(state, store);
			const reads = counted.queries.filter((q) => q.startsWith("SELECT"));
			expect(reads).toEqual([
				"SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('task', 'meta')",
			]);
			// The schema (a statement per table, three: no meta table), then the one-row statements only, each
			// its own: the steps (each with its children), the task row (its marks with it), the root's move
			// to enqueued and the transitions.
			expect(counted.queries.filter((q) => q.includes("json_each"))).toEqual([]);
			expect(new Set(counted.queries).size).toBe(1 + 3 + 4);
			expect(counted.queries.filter((q) => /\bmeta\b/.test(q))).toEqual([reads[0]]);
			expect(counted.queries.filter((q) => q.startsWith("INSERT INTO step "))).toHaveLength(4);
			expect(counted.queries.filter((q) => q.includes("edge"))).toEqual([]);
		});
	});

	it("a report-shaped transaction reads nothing and writes its few rows one statement each", async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		await runInDurableObject(stub, (_instance, state) => {
			const counted = countingSql(state.storage.sql);
			const store = new SqliteTaskStore(counted.sql);
			createFan(state, store);
			const before = counted.statements();
			// The steps and their children as the create wrote them (no read), then a statement per row:
			// three steps, three transitions and the task row, with the mark (the alarm's) in it.
			inStoreTransaction(state, store, () => {
				expect(store.childrenOf(0).map((s) => s.stepUuid)).toEqual(["s-1", "s-2", "s-3"]);
				releaseChildren(store);
			});
			const written = counted.queries.slice(before);
			expect(written.filter((q) => q.startsWith("SELECT"))).toEqual([]);
			expect(written).toHaveLength(3 + 3 + 1);
			const fresh = new SqliteTaskStore(state.storage.sql);
			expect(fresh.listStepsIn(["enqueued"]).map((s) => s.stepUuid)).toEqual(["s-0", "s-1", "s-2", "s-3"]);
			expect(fresh.listTransitions("s-2").map((t) => t.toState)).toEqual(["enqueued"]);
			expect(fresh.getMeta("alarm_at")).toBe(NOW + 5_000);
		});
	});

	it("writes more than four rows of a table in one statement", async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		await runInDurableObject(stub, (_instance, state) => {
			const counted = countingSql(state.storage.sql);
			const store = new SqliteTaskStore(counted.sql);
			createFan(state, store, 6);
			// Seven steps are inserted one by one (a wide row costs more read back out of JSON), the root
			// with its six children.
			expect(counted.queries.filter((q) => q.startsWith("INSERT INTO step "))).toHaveLength(7);
			expect(new SqliteTaskStore(state.storage.sql).childrenOf(0).map((s) => s.stepUuid)).toEqual(
				stepUuids(1, 6),
			);
			const before = counted.statements();
			inStoreTransaction(state, store, () => releaseChildren(store, { ok: true }, NOW + 5_000, 6));
			// Six steps and six transitions, each table in one statement; the task row and its mark.
			expect(counted.queries.slice(before)).toHaveLength(1 + 1 + 1);
			const fresh = new SqliteTaskStore(state.storage.sql);
			expect(fresh.listStepsIn(["enqueued"]).map((s) => s.stepUuid)).toEqual(stepUuids(0, 6));
			expect(fresh.listTransitions("s-6").map((t) => t.toState)).toEqual(["enqueued"]);
			expect(step(fresh, "s-1").result).toEqual({ result: { ok: true }, metadata: RESULT_META });
		});
	});

	it("counts the rows it wrote at its end in the task's billed rows, not in a later save", async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		await runInDurableObject(stub, (_instance, state) => {
			const store = new SqliteTaskStore(state.storage.sql);
			createFan(state, store);
			inStoreTransaction(state, store, () => releaseChildren(store));
			const before = store.loadTask()?.stats.rowsWritten ?? 0;
			inStoreTransaction(state, store, () => releaseChildren(store, { again: true }, NOW + 6_000));
			const after = new SqliteTaskStore(state.storage.sql).loadTask()?.stats.rowsWritten ?? 0;
			// Three steps and three transitions of this transaction, and the task row (the mark in it) the
			// one before wrote last (a row is counted by the save after the statement that wrote it).
			expect(after - before).toBe(3 + 3 + 1);
		});
	});

	it("a rolled-back transaction leaves neither storage nor the store changed", async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		await runInDurableObject(stub, (_instance, state) => {
			const store = new SqliteTaskStore(state.storage.sql);
			createFan(state, store);
			expect(() =>
				inStoreTransaction(state, store, () => {
					releaseChildren(store);
					throw new Error("the operation failed");
				}),
			).toThrow("the operation failed");
			store.discard();
			for (const reader of [store, new SqliteTaskStore(state.storage.sql)]) {
				expect(step(reader, "s-1")).toMatchObject({ state: "pending", attempt: 0 });
				expect(reader.childrenOf(0).map((s) => s.state)).toEqual(["pending", "pending", "pending"]);
				expect(reader.listStepsIn(["enqueued"]).map((s) => s.stepUuid)).toEqual(["s-0"]);
				expect(reader.listTransitions("s-2")).toEqual([]);
				expect(reader.getMeta("alarm_at")).not.toBe(NOW + 5_000);
			}
			// The next transaction starts clean: nothing of the failed one is written with it.
			inStoreTransaction(state, store, () => store.setMeta("label", "after"));
			expect(new SqliteTaskStore(state.storage.sql).listTransitions("s-2")).toEqual([]);
		});
	});

	it("a row too big to share a statement is written alone, and every row reads back", async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		await runInDurableObject(stub, (_instance, state) => {
			const store = new SqliteTaskStore(state.storage.sql);
			createFan(state, store);
			const big = { text: "x".repeat(300_000), quote: 'a "quoted" \\ value' };
			inStoreTransaction(state, store, () => releaseChildren(store, big));
			const fresh = new SqliteTaskStore(state.storage.sql);
			expect(step(fresh, "s-1").result).toEqual({ result: big, metadata: RESULT_META });
			expect(step(fresh, "s-2")).toMatchObject({ state: "enqueued", result: null });
			expect(step(fresh, "s-3")).toMatchObject({ state: "enqueued", result: null });
		});
	});
});
