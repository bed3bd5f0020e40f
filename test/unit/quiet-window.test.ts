// The live stream's send timing (durable-objects/quiet-window.ts), on a simulated clock: a run of
// changes closer than the quiet window costs one timer and one send after the last of them; a change
// that never stops is still sent every max delay; a change during a send opens the next window.
import { describe, expect, it } from "vitest";
import { QuietWindow } from "../../durable-objects/quiet-window";

class FakeClock {
	at = 1_000;
	timersSet = 0;
	private timers: Array<{ at: number; fire: () => void }> = [];
	now = () => this.at;
	after = (ms: number, fire: () => void) => {
		this.timersSet += 1;
		this.timers.push({ at: this.at + ms, fire });
	};
	/** Moves the clock on, firing each timer due on the way, in time order. */
	advance(ms: number): void {
		const end = this.at + ms;
		for (;;) {
			this.timers.sort((a, b) => a.at - b.at);
			const next = this.timers[0];
			if (!next || next.at > end) break;
			this.timers.shift();
			this.at = next.at;
			next.fire();
		}
		this.at = end;
	}
}

function setup() {
	const clock = new FakeClock();
	const sent: number[] = [];
	const window = new QuietWindow(10, 100, clock, () => sent.push(clock.at));
	return { clock, sent, window };
}

describe("QuietWindow", () => {
	it("sends once, quiet 10 ms after the last of a run of changes, the later changes setting no timer", () => {
		const { clock, sent, window } = setup();
		let setByChanges = 0;
		for (let i = 0; i < 6; i++) {
			const before = clock.timersSet;
			window.change();
			setByChanges += clock.timersSet - before;
			clock.advance(4);
		}
		// Six changes 4 ms apart (the last at 1,020): the first set the timer, the others only noted their
		// time; each time the timer fired it found a later change and waited out the rest of the window
		// (at 1,010, 1,018, 1,026), then sent.
		expect(setByChanges).toBe(1);
		expect(sent).toEqual([]);
		clock.advance(30);
		expect(sent).toEqual([1_030]);
	});

	it("sends at most 100 ms after the first change when changes never stop", () => {
		const { clock, sent, window } = setup();
		for (let i = 0; i < 60; i++) {
			window.change();
			clock.advance(5);
		}
		expect(sent).toEqual([1_100, 1_200, 1_300]);
	});

	it("a change made while an update is sent opens the next window", () => {
		const clock = new FakeClock();
		const sent: number[] = [];
		let window: QuietWindow | null = null;
		window = new QuietWindow(10, 100, clock, () => {
			sent.push(clock.at);
			if (sent.length === 1) window?.change();
		});
		window.change();
		clock.advance(50);
		expect(sent).toEqual([1_010, 1_020]);
	});

	it("sends nothing without a change", () => {
		const { clock, sent } = setup();
		clock.advance(1_000);
		expect(sent).toEqual([]);
		expect(clock.timersSet).toBe(0);
	});
});
