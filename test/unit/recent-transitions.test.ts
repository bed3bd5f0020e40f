// The recent stretch of the transition log, held in memory: served only when all of it is held.
import { describe, expect, it } from "vitest";
import { RecentTransitions } from "../../durable-objects/recent-transitions";
import type { TransitionRecord } from "../../src/core/task-records";

const transition = (seq: number): TransitionRecord => ({
	seq,
	stepIdx: seq % 3,
	stepUuid: null,
	stepName: `s${seq % 3}`,
	fromState: "pending",
	toState: "enqueued",
	attempt: 1,
	at: seq,
	metadata: {},
});

describe("RecentTransitions", () => {
	it("serves what was appended since it started holding, and nothing from before", () => {
		const recent = new RecentTransitions();
		expect(recent.between(0, 10)).toBeNull();
		for (let seq = 5; seq <= 9; seq++) recent.append(transition(seq));
		expect(recent.between(4, 9)?.map((t) => t.seq)).toEqual([5, 6, 7, 8, 9]);
		expect(recent.between(6, 8)?.map((t) => t.seq)).toEqual([7, 8]);
		// Seq 4 and before were appended before this object held any: storage has to answer.
		expect(recent.between(3, 9)).toBeNull();
	});

	it("drops the oldest half when full, and then no longer serves that stretch", () => {
		const recent = new RecentTransitions();
		for (let seq = 1; seq <= 5_000; seq++) recent.append(transition(seq));
		expect(recent.between(0, 5_000)).toBeNull();
		const tail = recent.between(4_990, 5_000);
		expect(tail?.map((t) => t.seq)).toEqual([
			4_991, 4_992, 4_993, 4_994, 4_995, 4_996, 4_997, 4_998, 4_999, 5_000,
		]);
	});

	it("holds its own frozen copy: neither the appender nor a reader can change what is held", () => {
		const recent = new RecentTransitions();
		const appended = transition(1);
		recent.append(appended);
		appended.metadata.changed = "by the appender";
		const [first] = recent.between(0, 1) ?? [];
		expect(() => {
			if (first) first.metadata.changed = true;
		}).toThrow(TypeError);
		expect(recent.between(0, 1)?.[0]?.metadata).toEqual({});
	});
});
