import { describe, expect, it } from "vitest";
import { copyTaskRecord, deepFreeze } from "../../durable-objects/task-record-copy";
import type { TaskRecord } from "../../src/core/task-records";

function record(): TaskRecord {
	return {
		taskUuid: "t-1",
		status: "pending",
		context: { order: { items: [{ sku: "A", qty: 2 }] } },
		tags: ["a"],
		counts: { pending: 2, complete: 0 },
		stats: { claims: 0, resultsApplied: 0 },
		staleness: { action: "dlq", maxDurationMs: 1, lifetimeFrom: 0 },
	} as unknown as TaskRecord;
}

describe("copyTaskRecord", () => {
	it("copies what the engine changes and shares the rest", () => {
		const held = record();
		const copy = copyTaskRecord(held);
		copy.counts.pending = 1;
		copy.stats.claims = 5;
		(copy.staleness as { lifetimeFrom: number }).lifetimeFrom = 99;
		copy.status = "complete";
		expect(held.counts.pending).toBe(2);
		expect(held.stats.claims).toBe(0);
		expect(held.staleness?.lifetimeFrom).toBe(0);
		expect(held.status).toBe("pending");
		expect(copy.context).toBe(held.context);
		expect(copy.tags).toBe(held.tags);
	});

	it("keeps a null staleness null", () => {
		expect(copyTaskRecord({ ...record(), staleness: null }).staleness).toBeNull();
	});
});

describe("deepFreeze", () => {
	it("freezes every nested object and array, so a change throws", () => {
		const context = deepFreeze({ order: { items: [{ sku: "A" }] } });
		expect(Object.isFrozen(context.order.items[0])).toBe(true);
		expect(() => {
			(context.order.items[0] as { sku: string }).sku = "B";
		}).toThrow(TypeError);
		expect(() => (context.order.items as unknown[]).push(1)).toThrow(TypeError);
		expect(context.order.items[0]?.sku).toBe("A");
	});

	it("leaves primitives and null as they are", () => {
		expect(deepFreeze(null)).toBeNull();
		expect(deepFreeze(3)).toBe(3);
		expect(deepFreeze("x")).toBe("x");
	});
});
