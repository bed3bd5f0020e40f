// Readers waiting (`wait_seconds`) for a task to finish: held in memory and woken by the event that
// finishes it, or by their own timeout. If the object is evicted, their calls fail and they ask again.
export class FinishWaiters {
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
