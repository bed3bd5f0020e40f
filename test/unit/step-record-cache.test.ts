import { describe, expect, it } from "vitest";
import { StepRecordCache } from "../../durable-objects/step-record-cache";
import type { StepRecord } from "../../src/core/task-records";

function stepAt(idx: number, state: StepRecord["state"] = "pending"): StepRecord {
	return { idx, state, attempt: 0, result: null } as StepRecord;
}

describe("StepRecordCache", () => {
	it("shares a record's nested parts, frozen: a change in place throws instead of reaching the others", () => {
		const cache = new StepRecordCache();
		const step = {
			...stepAt(1, "complete"),
			result: { result: { n: 1 }, metadata: { execution_time_ms: 1, attempt: 1, custom: {} } },
		} as StepRecord;
		cache.put(step, 10);
		const [a, b] = [cache.get(1), cache.get(1)];
		expect(a).not.toBe(b);
		expect(a?.result).toBe(b?.result);
		expect(() => {
			(a?.result?.result as { n: number }).n = 2;
		}).toThrow(TypeError);
		expect(cache.get(1)?.result?.result).toEqual({ n: 1 });
	});

	it("hands out copies: a caller's change never reaches the record held", () => {
		const cache = new StepRecordCache();
		const step = stepAt(1);
		cache.put(step, 0);
		step.state = "complete";
		const read = cache.get(1) as StepRecord;
		expect(read.state).toBe("pending");
		read.attempt = 9;
		expect(cache.get(1)?.attempt).toBe(0);
		expect(cache.get(2)).toBeUndefined();
	});

	it("keeps the latest put, and drops a step whose result is too large to hold twice", () => {
		const cache = new StepRecordCache();
		cache.put(stepAt(1), 0);
		cache.put(stepAt(1, "enqueued"), 10);
		expect(cache.get(1)?.state).toBe("enqueued");
		cache.put(stepAt(1, "complete"), 1_000_000);
		expect(cache.get(1)).toBeUndefined();
	});

	it("holds at most a thousand steps: past that it starts again empty", () => {
		const cache = new StepRecordCache();
		for (let idx = 0; idx < 1_000; idx++) cache.put(stepAt(idx), 0);
		expect(cache.get(0)).toBeDefined();
		cache.put(stepAt(0, "enqueued"), 0);
		expect(cache.get(999)).toBeDefined();
		cache.put(stepAt(1_000), 0);
		expect(cache.get(0)).toBeUndefined();
		expect(cache.get(1_000)?.idx).toBe(1_000);
		cache.clear();
		expect(cache.get(1_000)).toBeUndefined();
	});
});
