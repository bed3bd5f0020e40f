// The store contract on the SQLite store, inside a real task object (each case in a fresh object); the
// memory store runs the same cases in Node.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, it } from "vitest";
import { SqliteTaskStore } from "../../durable-objects/sqlite-task-store";
import { STORE_CONTRACT } from "../support/store-contract";
import { inStoreTransaction } from "../support/store-transaction";

describe("the task store contract: SQLite store", () => {
	for (const contractCase of STORE_CONTRACT) {
		it(contractCase.name, async () => {
			const stub = env.TASKS.get(env.TASKS.newUniqueId());
			await runInDurableObject(stub, (_instance, state) => {
				const store = new SqliteTaskStore(state.storage.sql);
				contractCase.run({
					store,
					transact: (operation) => inStoreTransaction(state, store, operation),
					reopen: () => new SqliteTaskStore(state.storage.sql),
				});
			});
		});
	}
});
