// The fleet writer's group commit, in plain Node: who is written with whom, and who hears of a failure.
import { describe, expect, it } from "vitest";
import { GroupCommit } from "../../src/fleet/group-commit";

/** A store that records each write's items and fails any write holding a "bad" item, or every write. */
function recordingStore(options: { down?: boolean } = {}) {
	const writes: string[][] = [];
	const write = async (items: readonly string[]) => {
		writes.push([...items]);
		await Promise.resolve();
		if (options.down) throw new Error("store down");
		if (items.includes("bad")) throw new Error(`refused: ${items.join(",")}`);
	};
	return { writes, write };
}

/** A linger the test ends by hand: a group's wait resolves when `release()` is called. */
function manualSleep() {
	const waiting: Array<() => void> = [];
	return {
		sleep: () => new Promise<void>((resolve) => waiting.push(resolve)),
		release: async () => {
			// Lets the group reach its linger first (it starts after the current turn).
			await new Promise((resolve) => setImmediate(resolve));
			const end = waiting.shift();
			if (!end) throw new Error("no group is lingering");
			end();
			await new Promise((resolve) => setImmediate(resolve));
		},
	};
}

async function settled(promises: Promise<void>[]) {
	return (await Promise.allSettled(promises)).map((r) =>
		r.status === "fulfilled" ? "ok" : String(r.reason),
	);
}

describe("GroupCommit", () => {
	it("writes the items that arrive during the linger as one group, and later ones as the next", async () => {
		const store = recordingStore();
		const clock = manualSleep();
		const commit = new GroupCommit(store.write, { maxGroup: 100, lingerMs: 10, sleep: clock.sleep });
		const first = ["a", "b", "c"].map((item) => commit.submit(item));
		expect(store.writes).toEqual([]);
		await clock.release();
		const second = ["d", "e"].map((item) => commit.submit(item));
		await Promise.all(first);
		await clock.release();
		await Promise.all(second);
		expect(store.writes).toEqual([
			["a", "b", "c"],
			["d", "e"],
		]);
	});

	it("writes at most maxGroup items at once, the rest in the next write", async () => {
		const store = recordingStore();
		const commit = new GroupCommit(store.write, { maxGroup: 2, lingerMs: 0 });
		await Promise.all(["a", "b", "c", "d", "e"].map((item) => commit.submit(item)));
		expect(store.writes).toEqual([["a", "b"], ["c", "d"], ["e"]]);
	});

	it("fails only the bad item of a failed group: the others are written again, alone", async () => {
		const store = recordingStore();
		const commit = new GroupCommit(store.write, { maxGroup: 100, lingerMs: 0 });
		const results = await settled(["a", "bad", "c"].map((item) => commit.submit(item)));
		expect(results).toEqual(["ok", "Error: refused: bad", "ok"]);
		expect(store.writes).toEqual([["a", "bad", "c"], ["a"], ["bad"], ["c"]]);
	});

	it("in an outage, stops writing alone after two failures in a row and fails the rest with the error", async () => {
		const store = recordingStore({ down: true });
		const commit = new GroupCommit(store.write, { maxGroup: 100, lingerMs: 0 });
		const results = await settled(["a", "b", "c", "d"].map((item) => commit.submit(item)));
		expect(results).toEqual(Array(4).fill("Error: store down"));
		// The group, then a and b alone: c and d are not tried one by one.
		expect(store.writes).toEqual([["a", "b", "c", "d"], ["a"], ["b"]]);
	});

	it("a lone item's failure reaches its caller without a second write, and the next item is written", async () => {
		const store = recordingStore();
		const commit = new GroupCommit(store.write, { maxGroup: 100, lingerMs: 0 });
		await expect(commit.submit("bad")).rejects.toThrow("refused: bad");
		await commit.submit("next");
		expect(store.writes).toEqual([["bad"], ["next"]]);
	});
});
