// The writes of the transaction under way that the store holds back until its end, to write each table's
// rows together (bulk-rows.ts decides how many statements): a report's transaction touches its step, the
// children it releases, their transitions and a mark or two; a row saved twice is written once, and a wide
// release's rows go in one statement per table.
// Held only between begin() and the end of the transaction (its flush or its rollback): a write made
// outside one goes straight to storage, as the platform commits it with the turn that made it.
import type { StepRecord } from "../src/core/task-records";
import type { BulkValue } from "./bulk-rows";
import { heldStepRecord, stepRecordCopy } from "./step-record-copy";

export class TransactionWrites {
	private holding = false;
	/** Transition rows in the order appended (the log's own columns). */
	private transitionRows: BulkValue[][] = [];
	/**
	 * Each step's latest saved record (held as step-record-copy.ts holds steps) and its row, by idx: a
	 * step saved twice in one transaction is written once.
	 */
	private readonly stepRecords = new Map<number, { record: Readonly<StepRecord>; row: BulkValue[] }>();
	/** Each meta key's latest value. */
	private readonly metaValues = new Map<string, BulkValue>();

	/** A transaction began: its writes are held from here until take() or forget(). */
	begin(): void {
		this.holding = true;
	}

	/** Whether writes are being held (inside a transaction the store was told of). */
	get isHolding(): boolean {
		return this.holding;
	}

	addTransition(row: BulkValue[]): void {
		this.transitionRows.push(row);
	}

	/** Keeps a copy of the record (the caller may go on changing its own) and the row to write. */
	setStep(step: StepRecord, row: BulkValue[]): void {
		this.stepRecords.set(step.idx, { record: heldStepRecord(step), row });
	}

	/** The step as saved in this transaction (a copy), if it was. */
	stepAt(idx: number): StepRecord | undefined {
		const held = this.stepRecords.get(idx);
		return held === undefined ? undefined : stepRecordCopy(held.record);
	}

	setMeta(key: string, value: BulkValue): void {
		this.metaValues.set(key, value);
	}

	get hasSteps(): boolean {
		return this.stepRecords.size > 0;
	}

	get hasTransitions(): boolean {
		return this.transitionRows.length > 0;
	}

	/** The held steps' rows, no longer held (written now by the caller). */
	takeSteps(): BulkValue[][] {
		const rows = [...this.stepRecords.values()].map((held) => held.row);
		this.stepRecords.clear();
		return rows;
	}

	takeTransitions(): BulkValue[][] {
		const rows = this.transitionRows;
		this.transitionRows = [];
		return rows;
	}

	takeMeta(): BulkValue[][] {
		const rows = [...this.metaValues].map(([key, value]) => [key, value]);
		this.metaValues.clear();
		return rows;
	}

	/** The transaction is over: whatever the caller wrote, nothing is held any more. */
	end(): void {
		this.holding = false;
	}

	/** It rolled back: the held writes never happened. */
	forget(): void {
		this.transitionRows = [];
		this.stepRecords.clear();
		this.metaValues.clear();
		this.holding = false;
	}
}
