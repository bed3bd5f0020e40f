// The steps as this object last wrote or read them, so that a claim or a report reads its step and the
// children it releases without a statement each (a statement costs the object a fixed price beyond its
// rows: see bulk-rows.ts). The store is the only writer of the step table and puts every step it
// writes here, so a record held is never older than storage; a rollback empties it (the store's discard).
//
// Bounded: a record whose result is large is not kept (the result graph already holds every result once),
// and past MAX_CACHED_STEPS records the cache starts again empty, so a task of thousands of steps holds
// at most that many.
import type { StepRecord } from "../src/core/task-records";
import { heldStepRecord, stepRecordCopy } from "./step-record-copy";

const MAX_CACHED_STEPS = 1_000;
/** A result longer than this (as stored JSON) keeps its step out of the cache. */
const MAX_CACHED_RESULT_CHARS = 16_384;

export class StepRecordCache {
	/** Each record held as step-record-copy.ts holds steps: every read hands out a fresh top level. */
	private readonly records = new Map<number, Readonly<StepRecord>>();

	/** A copy of the step as last written or read (the caller may change it), if held. */
	get(idx: number): StepRecord | undefined {
		const held = this.records.get(idx);
		return held === undefined ? undefined : stepRecordCopy(held);
	}

	/** The step as just written or read; `resultChars` is the length of its stored result (0 if none). */
	put(step: StepRecord, resultChars: number): void {
		if (resultChars > MAX_CACHED_RESULT_CHARS) {
			this.records.delete(step.idx);
			return;
		}
		if (this.records.size >= MAX_CACHED_STEPS && !this.records.has(step.idx)) this.records.clear();
		this.records.set(step.idx, heldStepRecord(step));
	}

	clear(): void {
		this.records.clear();
	}
}
