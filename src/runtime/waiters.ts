// Callers held in memory until something happens or their own timeout: readers of `wait_seconds` waiting
// for a task to finish (the task runtime), workers' long polls waiting for work (the work-queue object).
// If the object is evicted, their calls fail and they ask again.
export class Waiters {
	private readonly waiting = new Set<() => void>();

	/** Resolves when `wakeAll` is called or after `ms`, whichever comes first. */
	wait(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const wake = () => {
				clearTimeout(timer);
				this.waiting.delete(wake);
				resolve();
			};
			const timer = setTimeout(wake, ms);
			this.waiting.add(wake);
		});
	}

	wakeAll(): void {
		for (const wake of [...this.waiting]) wake();
	}
}
