// One engine operation on the SQLite store, as the task runtime runs it: inside one storage transaction,
// the store told first (begin: its step, transition and meta writes are held) and flushed last.
import type { SqliteTaskStore } from "../../durable-objects/sqlite-task-store";

export function inStoreTransaction<T>(
	state: DurableObjectState,
	store: SqliteTaskStore,
	operation: () => T,
): T {
	return state.storage.transactionSync(() => {
		store.begin();
		const result = operation();
		store.flush();
		return result;
	});
}
