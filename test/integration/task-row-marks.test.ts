// The marks every task writes (its schema version, the alarm's mirror, the metrics staged and landed) live in
// the task row since schema 10, written with the row; the rarer meta keys keep a table of their own, created
// only by the first of them. Checked in a real Durable Object: what a create, a transaction and a rollback
// write, and how an object of schema 9 brings its marks over on its next load.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SqliteTaskStore } from "../../durable-objects/sqlite-task-store";
import { SCHEMA_VERSION } from "../../durable-objects/task-schema";
import { createTask } from "../../src/core/create-task";
import { countingSql } from "../support/counting-sql";
import { marksInMetaRows } from "../support/older-task-schemas";
import { inStoreTransaction } from "../support/store-transaction";
import { createInput, dagTemplate, numberedIds } from "../support/template-builders";

const NOW = 1_700_000_000_000;
const STAGED = JSON.stringify({ seq: 1, upto: 3, resultsDropped: 0, claimsDropped: 0, at: 0 });

/** a → b, created in its own transaction with its alarm armed, as the runtime creates a task. */
function createArmed(state: DurableObjectState, store: SqliteTaskStore, uuidTail: string): void {
	inStoreTransaction(state, store, () => {
		createTask(
			store,
			createInput(`00000000-0000-4000-8000-${uuidTail}`, dagTemplate({ a: [], b: ["a"] })),
			NOW,
			numberedIds("s-"),
			5_000,
		);
		store.setMeta("alarm_at", NOW + 5_000);
	});
}

function tableNames(sql: SqlStorage): string[] {
	return sql
		.exec("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
		.toArray()
		.map((row) => String(row.name));
}

describe("the task row's marks", () => {
	it("a create writes its task row once, its marks in it, and creates no meta table", async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		await runInDurableObject(stub, (_instance, state) => {
			const counted = countingSql(state.storage.sql);
			const store = new SqliteTaskStore(counted.sql);
			createArmed(state, store, "0000000000a1");
			// The alarm armed after the task was saved is in its insert, not an update of its own.
			expect(counted.queries.filter((q) => /^(INSERT INTO|UPDATE) task\b/.test(q))).toEqual([
				expect.stringMatching(/^INSERT INTO task /),
			]);
			expect(tableNames(state.storage.sql)).toEqual(["step", "task", "transition"]);
			const row = state.storage.sql.exec("SELECT schema_version, alarm_at, metrics_staged FROM task").one();
			expect(row).toEqual({ schema_version: SCHEMA_VERSION, alarm_at: NOW + 5_000, metrics_staged: null });
			const fresh = new SqliteTaskStore(state.storage.sql);
			expect(fresh.getMeta("alarm_at")).toBe(NOW + 5_000);
			expect(fresh.getMeta("metrics_staged")).toBeUndefined();
			expect(fresh.loadTask()?.taskUuid).toBe("00000000-0000-4000-8000-0000000000a1");
		});
	});

	it("a transaction that changes only a mark writes the task row once, and keeps the row as it was", async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		await runInDurableObject(stub, (_instance, state) => {
			const counted = countingSql(state.storage.sql);
			const store = new SqliteTaskStore(counted.sql);
			createArmed(state, store, "0000000000a2");
			const task = store.loadTask();
			const before = counted.statements();
			inStoreTransaction(state, store, () => {
				store.setMeta("metrics_staged", STAGED);
				store.setMeta("alarm_at", null);
				// Set twice in the transaction, written once with the row at its end.
				store.setMeta("alarm_at", NOW + 9_000);
			});
			expect(counted.queries.slice(before)).toEqual([expect.stringMatching(/^UPDATE task SET /)]);
			// Outside a transaction, a mark is written at once; setting what is there writes nothing.
			store.setMeta("alarm_at", NOW + 9_000);
			expect(counted.statements()).toBe(before + 1);
			store.setMeta("alarm_at", NOW + 7_000);
			expect(counted.statements()).toBe(before + 2);
			const fresh = new SqliteTaskStore(state.storage.sql);
			expect([fresh.getMeta("metrics_staged"), fresh.getMeta("alarm_at")]).toEqual([STAGED, NOW + 7_000]);
			const reread = fresh.loadTask();
			expect(reread).toMatchObject({
				status: task?.status,
				counts: task?.counts,
				transitionSeq: task?.transitionSeq,
				context: task?.context,
			});
		});
	});

	it("another meta key creates the meta table with its first write, and a rollback takes both away", async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		await runInDurableObject(stub, (_instance, state) => {
			const store = new SqliteTaskStore(state.storage.sql);
			createArmed(state, store, "0000000000a3");
			expect(() =>
				inStoreTransaction(state, store, () => {
					store.setMeta("label", "first");
					expect(store.getMeta("label")).toBe("first");
					throw new Error("the operation failed");
				}),
			).toThrow("the operation failed");
			store.discard();
			expect(tableNames(state.storage.sql)).not.toContain("meta");
			expect(store.getMeta("label")).toBeUndefined();
			expect(store.getMeta("alarm_at")).toBe(NOW + 5_000);

			inStoreTransaction(state, store, () => store.setMeta("label", "second"));
			// Outside a transaction too: the table is there now.
			store.setMeta("other", 2);
			expect(tableNames(state.storage.sql)).toContain("meta");
			const fresh = new SqliteTaskStore(state.storage.sql);
			expect([fresh.getMeta("label"), fresh.getMeta("other"), fresh.getMeta("absent")]).toEqual([
				"second",
				2,
				undefined,
			]);
		});
	});

	it("an object of schema 9 moves its marks from meta rows into the task row on its next load", async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		await runInDurableObject(stub, (_instance, state) => {
			const sql = state.storage.sql;
			const store = new SqliteTaskStore(sql);
			createArmed(state, store, "0000000000a4");
			inStoreTransaction(state, store, () => {
				store.setMeta("metrics_staged", STAGED);
				store.setMeta("label", "kept");
			});
			const task = store.loadTask();
			marksInMetaRows(sql, 9);
			expect(
				sql
					.exec("SELECT key FROM meta ORDER BY key")
					.toArray()
					.map((r) => r.key),
			).toEqual(["alarm_at", "label", "metrics_staged", "schema_version"]);

			const migrated = new SqliteTaskStore(sql);
			expect(migrated.loadTask()).toEqual(task);
			expect(migrated.getMeta("schema_version")).toBe(SCHEMA_VERSION);
			expect(migrated.getMeta("alarm_at")).toBe(NOW + 5_000);
			expect(migrated.getMeta("metrics_staged")).toBe(STAGED);
			expect(migrated.getMeta("metrics_landed")).toBeUndefined();
			expect(migrated.getMeta("label")).toBe("kept");
			// The marks' rows are gone; the other keys stay where they were.
			expect(sql.exec("SELECT key FROM meta").toArray()).toEqual([{ key: "label" }]);
			// Migrated once: a later load reads the version from the row and changes nothing.
			const counted = countingSql(sql);
			const again = new SqliteTaskStore(counted.sql);
			expect(again.getMeta("alarm_at")).toBe(NOW + 5_000);
			expect(counted.queries.filter((q) => !q.startsWith("SELECT"))).toEqual([]);
			// And the mark is written in its column from now on.
			inStoreTransaction(state, again, () => again.setMeta("alarm_at", NOW + 8_000));
			expect(sql.exec("SELECT alarm_at FROM task").one().alarm_at).toBe(NOW + 8_000);
			expect(sql.exec("SELECT key FROM meta").toArray()).toEqual([{ key: "label" }]);
		});
	});
});
