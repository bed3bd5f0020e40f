// The transitions this object appended lately, in memory, for the metrics pushes and stream updates that
// ask for "everything after seq N". The log is clustered by step, so that question is a scan of the whole
// log in SQLite: a push every few seconds on a long task read rows in proportion to its size. Those readers
// ask for the recent stretch, which is held here; an older stretch, or any after the object was loaded or a
// transaction rolled back (SqliteTaskStore.discard), is still read from storage.
import type { TransitionRecord } from "../src/core/task-records";
import { jsonCopy } from "./json-copy";
import { deepFreeze } from "./task-record-copy";

/** At most this many are held; the oldest half is dropped past it. */
const HELD = 4_096;

export class RecentTransitions {
	private held: TransitionRecord[] = [];
	/** Every transition with a seq above this is held; null until the first append of this lifetime. */
	private heldAfter: number | null = null;

	/** A transition was appended (seqs only grow: one task row counts them). */
	append(transition: TransitionRecord): void {
		if (this.heldAfter === null) this.heldAfter = transition.seq - 1;
		// Copied once (the caller's may change) and frozen: a transition never changes once appended, so
		// readers share it.
		this.held.push(deepFreeze(jsonCopy(transition)));
		if (this.held.length > HELD) {
			const dropped = this.held.splice(0, this.held.length - HELD / 2);
			this.heldAfter = dropped[dropped.length - 1]?.seq ?? this.heldAfter;
		}
	}

	/** The transitions with afterSeq < seq <= uptoSeq, in seq order, or null when not all of them are held. */
	between(afterSeq: number, uptoSeq: number): TransitionRecord[] | null {
		if (this.heldAfter === null || afterSeq < this.heldAfter) return null;
		return this.held.filter((t) => t.seq > afterSeq && t.seq <= uptoSeq);
	}
}
