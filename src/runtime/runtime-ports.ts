// Everything the task runtime is given by the platform it runs on. The Durable Object passes its SQLite
// store, `transactionSync`, its alarm and queue bindings, the wall clock and uuidv7; the chaos suite
// passes a memory store, a simulated clock and queues that lose, duplicate and delay. The runtime's
// sequencing (transaction with its alarm, send, sync; a send recorded by the next transaction) is the
// same code in both.
import type { RuntimeStore } from "./runtime-store";

/** A queue (or anything with its `sendBatch`): step messages, or domain events. */
export interface QueueSender {
	sendBatch(messages: ReadonlyArray<{ body: unknown; contentType: "json" }>): Promise<unknown>;
}

/** The platform's one alarm per object. */
export interface PlatformAlarm {
	set(at: number): void;
	delete(): void;
}

export interface TaskRuntimePorts {
	store: RuntimeStore;
	/** Runs `operation` as one atomic storage transaction: all of its writes, or none and it throws. */
	atomically<T>(operation: () => T): T;
	alarm: PlatformAlarm;
	/** The queue of a namespace's steps; throws if the namespace cannot be routed (a failed send, retried). */
	queueFor(namespace: string): QueueSender;
	/** Where domain events go; undefined when the deployment has no such queue (they stay owed). */
	domainEventQueue(): QueueSender | undefined;
	/** Throws when step routing is misconfigured: a task is refused before it exists. */
	checkRouting(): void;
	now(): number;
	random(): number;
	newId(): string;
	/** Brings the fleet-wide views (task index, metrics, DLQ) up to date; never awaited by an operation. */
	syncFleet(): void;
	/**
	 * Runs at the end of every transaction, inside it: what must be saved with the operation (the
	 * Durable Object stages a metrics push there, so that it costs no commit of its own).
	 */
	beforeCommit?(): void;
	/** A transaction rolled back: what was kept in memory about its writes is forgotten. */
	afterRollback?(): void;
	/** Tells live subscribers that the task changed; never awaited by an operation. */
	broadcast(): void;
}
