// Steps as the store holds them in memory (the step cache, a transaction's held saves): the engine gets a
// fresh record on every read, since it changes the records it reads, but it only ever sets a step's own
// fields (state, attempt, times) and replaces its nested parts (result, error, checkpoint, wait) whole,
// never changing them in place. So a read is a shallow copy, and the nested parts (the definition among
// them: initialization, retry, extras) are frozen once and shared: reading a step no longer costs a JSON
// round trip of its whole record, large configuration and result included. A change in place would
// throw; the memory store the chaos suite runs on holds steps the same way, so it would be found there.
import type { StepRecord } from "../src/core/task-records";
import { deepFreeze } from "./task-record-copy";

/** The record to hold: a copy of the caller's top level (it may go on changing it), its nested parts frozen. */
export function heldStepRecord(step: Readonly<StepRecord>): Readonly<StepRecord> {
	return deepFreeze({ ...step });
}

/** A record to hand out: its own top level, the nested parts shared. */
export function stepRecordCopy(held: Readonly<StepRecord>): StepRecord {
	return { ...held };
}
