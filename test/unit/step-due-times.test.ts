// The alarm's due times held in memory: the same answers the step table's queries gave, by state.
import { describe, expect, it } from "vitest";
import { StepDueTimes } from "../../durable-objects/step-due-times";

const step = (
	idx: number,
	state: string,
	times: { dispatch?: number; retry?: number; deadline?: number },
) => ({
	idx,
	state,
	dispatchDueAt: times.dispatch ?? null,
	nextRetryAt: times.retry ?? null,
	deadlineAt: times.deadline ?? null,
});

describe("StepDueTimes", () => {
	it("answers what is due by now, earliest first and up to the limit", () => {
		const due = new StepDueTimes();
		due.set(step(0, "enqueued", { dispatch: 30, deadline: 100 }));
		due.set(step(1, "enqueued", { dispatch: 10, deadline: 90 }));
		due.set(step(2, "enqueued", { dispatch: 50 }));
		expect(due.dispatchesDue(40, 10)).toEqual([1, 0]);
		expect(due.dispatchesDue(40, 1)).toEqual([1]);
		expect(due.deadlinesDue(95, 10)).toEqual([1]);
		expect(due.nextDueAt(false)).toBe(10);
	});

	it("counts a retry only while waiting for it, and a deadline only in a state that has one", () => {
		const due = new StepDueTimes();
		due.set(step(0, "waiting_for_retry", { retry: 20 }));
		due.set(step(1, "complete", { retry: 5, deadline: 5 }));
		expect(due.retriesDue(30, 10)).toEqual([0]);
		expect(due.deadlinesDue(30, 10)).toEqual([]);
		expect(due.nextDueAt(false)).toBeNull();
		expect(due.nextDueAt(true)).toBe(20);
	});

	it("forgets a step once its times are cleared", () => {
		const due = new StepDueTimes();
		due.set(step(0, "enqueued", { dispatch: 10 }));
		due.set(step(0, "in_progress", { deadline: 70 }));
		expect(due.dispatchesDue(100, 10)).toEqual([]);
		expect(due.deadlinesDue(100, 10)).toEqual([0]);
		due.set(step(0, "complete", {}));
		expect(due.nextDueAt(true)).toBeNull();
	});
});
