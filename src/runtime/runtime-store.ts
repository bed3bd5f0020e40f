// What the task runtime needs of its storage beyond the engine's own port (TaskStore): the shell's
// bookkeeping (its alarm mirror, the domain-event outbox's delivery state, request counting) and the
// calls that bracket a transaction. The SQLite store implements it in the Durable Object; the
// memory store in the tests and the chaos suite.
import type { DomainEventMessage } from "../core/domain-events";
import type { TaskStore } from "../core/task-store";

export type MetaValue = string | number | null;

export interface RuntimeStore extends TaskStore {
	/** One billed invocation of the object doing engine work (folded into the task's stats). */
	noteRequest(): void;
	/** True once a task has been created here: reads before that touch no storage. */
	hasSchema(): boolean;
	/** A transaction began: writes may be kept in memory until flush(); called first inside it. */
	begin(): void;
	/** Writes what the operation saved but kept in memory; called last inside the transaction. */
	flush(): void;
	/** The transaction rolled back: anything kept in memory from it is forgotten too. */
	discard(): void;

	/**
	 * The task's small keyed marks (the alarm's mirror, the metrics marks, a dynamic task's plan), written
	 * with the transaction they are set in. Unset reads as undefined.
	 */
	getMeta(key: string): unknown;
	setMeta(key: string, value: MetaValue): void;

	/** Domain events still owed whose due time has come (the alarm's re-send), oldest first. */
	domainEventsDue(now: number, limit: number): DomainEventMessage[];
	/** The queue has them: no longer owed. */
	confirmDomainEvents(eventIds: readonly string[], now: number): void;
	/** A send that failed: still owed, from `dueAt`. */
	domainEventsSendFailed(eventIds: readonly string[], dueAt: number): void;
}
