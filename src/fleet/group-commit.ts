// Group commit: callers submit items one by one and each waits for its own item to be written, but the
// writes go out together. A group starts with the first item to arrive, waits `lingerMs` for others to
// join, and is written in one write; one write at a time, and whatever arrives meanwhile forms the next
// group. The wait is what makes groups: without it, a fast store writes most items alone.
// A group that fails is written again item by item, so that one bad item fails alone; an outage (two
// items in a row failing alone too) fails the rest of the group at once. A failed item is its caller's to
// retry.

export interface GroupCommitOptions {
	/** At most this many items in one write. */
	maxGroup: number;
	/** How long a group waits for more items after its first. */
	lingerMs: number;
	/** Waits `ms` (a timer in production; tests pass their own). */
	sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class GroupCommit<Item> {
	private readonly write: (items: readonly Item[]) => Promise<void>;
	private readonly options: Required<GroupCommitOptions>;
	private waiting: Array<{ item: Item; resolve: () => void; reject: (error: unknown) => void }> = [];
	private writing = false;

	constructor(write: (items: readonly Item[]) => Promise<void>, options: GroupCommitOptions) {
		this.write = write;
		this.options = { sleep: realSleep, ...options };
	}

	/** Resolves once the item is written; rejects with the write's error if it could not be. */
	submit(item: Item): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			this.waiting.push({ item, resolve, reject });
			if (!this.writing) {
				this.writing = true;
				// After the current turn: with no linger, items submitted in the same turn still join.
				queueMicrotask(() => void this.drain());
			}
		});
	}

	private async drain(): Promise<void> {
		while (this.waiting.length > 0) {
			if (this.options.lingerMs > 0) await this.options.sleep(this.options.lingerMs);
			const group = this.waiting.splice(0, this.options.maxGroup);
			try {
				await this.write(group.map((entry) => entry.item));
				for (const entry of group) entry.resolve();
			} catch (error) {
				await this.writeOneByOne(group, error);
			}
		}
		this.writing = false;
	}

	private async writeOneByOne(group: typeof this.waiting, groupError: unknown): Promise<void> {
		if (group.length === 1) {
			group[0]?.reject(groupError);
			return;
		}
		let failedInARow = 0;
		let lastError: unknown = groupError;
		for (const entry of group) {
			if (failedInARow >= 2) {
				entry.reject(lastError);
				continue;
			}
			try {
				await this.write([entry.item]);
				entry.resolve();
				failedInARow = 0;
			} catch (error) {
				lastError = error;
				failedInARow += 1;
				entry.reject(error);
			}
		}
	}
}
