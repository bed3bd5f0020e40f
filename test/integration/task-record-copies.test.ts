// The SQLite store hands the engine a fresh task record on every read: the parts the engine changes are
// copies, the context and tags one stored, frozen object that every read shares.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SqliteTaskStore } from "../../durable-objects/sqlite-task-store";
import { createTask } from "../../src/core/create-task";
import type { TaskRecord } from "../../src/core/task-records";
import { inStoreTransaction } from "../support/store-transaction";
import { createInput, dagTemplate, numberedIds } from "../support/template-builders";

const NOW = 1_700_000_000_000;
const CONTEXT = { order: { id: "ORD-1", items: [{ sku: "A", qty: 2 }] } };

function created(state: DurableObjectState, store: SqliteTaskStore, context: Record<string, unknown>): void {
	inStoreTransaction(state, store, () =>
		createTask(
			store,
			{
				...createInput("00000000-0000-4000-8000-0000000000c0", dagTemplate({ a: [], b: ["a"] })),
				context,
				tags: ["x"],
			},
			NOW,
			numberedIds("s-"),
			5_000,
		),
	);
}

function loaded(store: SqliteTaskStore): TaskRecord {
	const task = store.loadTask();
	if (!task) throw new Error("no task");
	return task;
}

describe("the task record a store hands out", () => {
	it("shares a frozen context and tags, and copies what the engine changes", async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		await runInDurableObject(stub, (_instance, state) => {
			const context = structuredClone(CONTEXT);
			const store = new SqliteTaskStore(state.storage.sql);
			created(state, store, context);
			// The caller's own context is copied, never frozen.
			context.order.id = "changed by the caller";
			const first = loaded(store);
			const second = loaded(store);
			expect(first.context).toEqual(CONTEXT);
			expect(second.context).toBe(first.context);
			expect(second.tags).toBe(first.tags);
			expect(Object.isFrozen((first.context.order as { items: unknown[] }).items[0])).toBe(true);
			expect(() => {
				(first.context.order as { id: string }).id = "changed by the engine";
			}).toThrow(TypeError);
			first.stats.claims += 7;
			first.counts.pending += 3;
			expect(second.stats.claims).toBe(first.stats.claims - 7);
			expect(second.counts.pending).toBe(first.counts.pending - 3);
		});
	});

	it("keeps a save's changes and the stored context, read back by a store started afresh", async () => {
		const stub = env.TASKS.get(env.TASKS.newUniqueId());
		await runInDurableObject(stub, (_instance, state) => {
			const store = new SqliteTaskStore(state.storage.sql);
			created(state, store, structuredClone(CONTEXT));
			const task = loaded(store);
			inStoreTransaction(state, store, () =>
				store.saveTask({ ...task, status: "steps_in_process", stats: { ...task.stats, claims: 41 } }),
			);
			expect(loaded(store).stats.claims).toBe(41);
			const fresh = loaded(new SqliteTaskStore(state.storage.sql));
			expect(fresh.status).toBe("steps_in_process");
			expect(fresh.stats.claims).toBe(41);
			expect(fresh.context).toEqual(CONTEXT);
			expect(fresh.tags).toEqual(["x"]);
			expect(Object.isFrozen(fresh.context)).toBe(true);
		});
	});
});
