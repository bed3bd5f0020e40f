// The SQLite store serves the task row from memory between writes (it is the row's only writer). What it
// serves must be what storage holds: after a commit, after a rollback, and to a fresh store (an evicted
// object restarting) over the same storage. The meta rows likewise.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SqliteTaskStore } from "../../durable-objects/sqlite-task-store";
import { createTask } from "../../src/core/create-task";
import { dagTemplate } from "../support/template-builders";

const NOW = 1_700_000_000_000;

describe("the SQLite store's task row in memory", () => {
	it("reads back what was committed, forgets what was rolled back, and agrees with storage", async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		await runInDurableObject(stub, (_instance, state) => {
			const store = new SqliteTaskStore(state.storage.sql);
			const transact = (operation: () => void) => runTransaction(state, store, operation);
			transact(() => create(store, "00000000-0000-4000-8000-0000000000c1"));
			const created = store.loadTask();
			expect(created?.status).toBeDefined();

			transact(() => {
				const task = store.loadTask();
				if (task) store.saveTask({ ...task, status: "steps_in_process", updatedAt: NOW + 1 });
			});
			expect(store.loadTask()).toMatchObject({ status: "steps_in_process", updatedAt: NOW + 1 });

			expect(() =>
				transact(() => {
					const task = store.loadTask();
					if (task) store.saveTask({ ...task, status: "error", updatedAt: NOW + 2 });
					throw new Error("the commit fails");
				}),
			).toThrow("the commit fails");
			expect(store.loadTask()).toMatchObject({ status: "steps_in_process", updatedAt: NOW + 1 });

			// Failing after the row was written (as a failed commit would): storage rolls back, and so must
			// what the store serves.
			expect(() =>
				transact(() => {
					const task = store.loadTask();
					if (task) store.saveTask({ ...task, status: "error", updatedAt: NOW + 3 });
					store.flush();
					throw new Error("the commit fails late");
				}),
			).toThrow("the commit fails late");
			expect(store.loadTask()).toMatchObject({ status: "steps_in_process", updatedAt: NOW + 1 });

			// A copy handed out is the caller's: changing it changes nothing the store serves.
			const copy = store.loadTask();
			if (copy) copy.status = "cancelled";
			expect(store.loadTask()?.status).toBe("steps_in_process");

			const fresh = new SqliteTaskStore(state.storage.sql);
			expect(fresh.loadTask()).toEqual(store.loadTask());

			// The meta rows (the alarm's mirror, the fleet marks) are served from memory the same way: a
			// rolled-back write is forgotten, and writing the value already there writes no row.
			transact(() => store.setMeta("alarm_at", NOW + 10));
			expect(() =>
				transact(() => {
					store.setMeta("alarm_at", NOW + 20);
					throw new Error("the commit fails");
				}),
			).toThrow("the commit fails");
			expect(store.getMeta("alarm_at")).toBe(NOW + 10);
			// Rows written are folded into the task's stats at each save: what one transaction wrote shows
			// in the next save. A save alone, then the same with the unchanged meta value: equal counts.
			const writtenBy = (operation: () => void) => {
				const before = store.loadTask()?.stats.rowsWritten ?? 0;
				transact(() => {
					operation();
					const task = store.loadTask();
					if (task) store.saveTask(task);
				});
				transact(() => {
					const task = store.loadTask();
					if (task) store.saveTask(task);
				});
				return (store.loadTask()?.stats.rowsWritten ?? 0) - before;
			};
			writtenBy(() => {});
			expect(writtenBy(() => store.setMeta("alarm_at", NOW + 10))).toBe(writtenBy(() => {}));
			expect(writtenBy(() => store.setMeta("alarm_at", NOW + 11))).toBeGreaterThan(writtenBy(() => {}));
			expect(new SqliteTaskStore(state.storage.sql).getMeta("alarm_at")).toBe(NOW + 11);
		});
	});

	it("a create that rolls back leaves no task, and the next create writes one", async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		await runInDurableObject(stub, (_instance, state) => {
			const store = new SqliteTaskStore(state.storage.sql);
			expect(() =>
				runTransaction(state, store, () => {
					create(store, "00000000-0000-4000-8000-0000000000c2");
					store.flush();
					throw new Error("the commit fails");
				}),
			).toThrow("the commit fails");
			// The tables went with the rollback: the store must not answer from what it created.
			expect(store.hasSchema()).toBe(false);
			expect(store.loadTask()).toBeNull();
			expect(store.getMeta("schema_version")).toBeUndefined();

			runTransaction(state, store, () => create(store, "00000000-0000-4000-8000-0000000000c3"));
			expect(store.loadTask()?.taskUuid).toBe("00000000-0000-4000-8000-0000000000c3");
			expect(new SqliteTaskStore(state.storage.sql).loadTask()?.taskUuid).toBe(
				"00000000-0000-4000-8000-0000000000c3",
			);
		});
	});

	it("a new object's create asks storage once whether a task exists, and reads no meta row", async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		await runInDurableObject(stub, (_instance, state) => {
			const sql = state.storage.sql;
			const statements: string[] = [];
			const exec = sql.exec.bind(sql);
			sql.exec = ((query: string, ...bindings: SqlStorageValue[]) => {
				statements.push(query);
				return exec(query, ...bindings);
			}) as typeof sql.exec;
			const store = new SqliteTaskStore(sql);
			runTransaction(state, store, () => create(store, "00000000-0000-4000-8000-0000000000c4"));
			expect(store.getMeta("metrics_staged")).toBeUndefined();
			expect(statements.filter((q) => q.includes("sqlite_master"))).toHaveLength(1);
			expect(statements.filter((q) => /FROM meta/.test(q))).toEqual([]);
			// Storage agrees with what was served without reading: a fresh store reads the mark back.
			expect(new SqliteTaskStore(state.storage.sql).getMeta("schema_version")).toBe(
				store.getMeta("schema_version"),
			);
		});
	});
});

/** As the runtime runs each operation: flush before commit, discard after a rollback. */
function runTransaction(state: DurableObjectState, store: SqliteTaskStore, operation: () => void): void {
	try {
		state.storage.transactionSync(() => {
			operation();
			store.flush();
		});
	} catch (error) {
		store.discard();
		throw error;
	}
}

function create(store: SqliteTaskStore, taskUuid: string): void {
	let n = 0;
	createTask(
		store,
		{
			taskUuid,
			template: dagTemplate({ a: [], b: ["a"] }),
			context: {},
			initiator: "test",
			sourceSystem: "test",
			reason: "test",
			tags: [],
			priority: 0,
			correlationId: "corr",
			parentCorrelationId: null,
		},
		NOW,
		() => `${taskUuid}-s${n++}`,
		5_000,
	);
}
