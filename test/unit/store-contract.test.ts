// The store contract on the memory store (the SQLite store runs the same cases in the Workers pool).
import { describe, it } from "vitest";
import { MemoryTaskStore } from "../support/memory-task-store";
import { STORE_CONTRACT } from "../support/store-contract";

describe("the task store contract: memory store", () => {
	for (const contractCase of STORE_CONTRACT) {
		it(contractCase.name, () => {
			const store = new MemoryTaskStore();
			contractCase.run({ store, transact: (operation) => operation(), reopen: () => store });
		});
	}
});
