// When the live stream sends an update (task-stream.ts): once the task object has had no change for
// `quietMs`, or `maxDelayMs` after the first change the update carries, whichever comes first. A change
// on the engine's path only notes its time; the first change of an update sets the one timer, which,
// when it finds a later change, waits out the rest of the window. So a run of operations costs one
// timer, not a cleared and re-set timer per operation, and nothing is built before the object is quiet.

export interface WindowClock {
	now(): number;
	/** Calls `fire` once, `ms` from now. */
	after(ms: number, fire: () => void): void;
}

export class QuietWindow {
	private readonly quietMs: number;
	private readonly maxDelayMs: number;
	private readonly clock: WindowClock;
	private readonly send: () => void;
	/** Whether the timer is set; the first change of the update now waiting, and its last. */
	private armed = false;
	private firstChangeAt = 0;
	private lastChangeAt = 0;

	constructor(quietMs: number, maxDelayMs: number, clock: WindowClock, send: () => void) {
		this.quietMs = quietMs;
		this.maxDelayMs = maxDelayMs;
		this.clock = clock;
		this.send = send;
	}

	/** A change to send: `send` runs once the window closes (once for every change until then). */
	change(): void {
		const now = this.clock.now();
		this.lastChangeAt = now;
		if (this.armed) return;
		this.armed = true;
		this.firstChangeAt = now;
		this.clock.after(this.quietMs, () => this.due());
	}

	private due(): void {
		const wait =
			Math.min(this.lastChangeAt + this.quietMs, this.firstChangeAt + this.maxDelayMs) - this.clock.now();
		if (wait > 0) {
			this.clock.after(wait, () => this.due());
			return;
		}
		// Cleared before sending: a change made while sending opens the next window.
		this.armed = false;
		this.send();
	}
}
