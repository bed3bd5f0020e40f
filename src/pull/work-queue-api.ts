// A pull namespace's work queue as its callers (the task object's sender, the pull routes) see it:
// declared here, so that nothing outside durable-objects/ depends on the Durable Object class.
import type { StepMessage } from "../core/step-message";

/** One delivered message: the lease that must be extended, acked or released, and the message itself. */
export interface WorkLease {
	lease_id: string;
	message: StepMessage;
	/** How many times this message has been delivered, this one included. */
	deliveries: number;
}

export interface LeaseRequest {
	/** Only messages whose handler is one of these (a message without one goes to any worker). */
	handlers: readonly string[];
	max: number;
	/** How long to hold an empty poll, waiting for a message, before answering none. */
	waitMs: number;
	leaseMs: number;
	/** The polling worker: its held polls end, empty, when it leaves (see WorkQueueApi.leave). */
	workerId?: string | undefined;
}

export interface WorkQueueApi {
	/** The task object's send: saves the messages (a duplicate of a waiting one changes nothing), wakes polls. */
	enqueue(messages: readonly StepMessage[]): Promise<{ accepted: number }>;
	lease(request: LeaseRequest): Promise<WorkLease[]>;
	extend(leaseIds: readonly string[], leaseMs: number): Promise<{ held: string[]; lost: string[] }>;
	ack(leaseIds: readonly string[]): Promise<{ acked: number }>;
	release(leaseIds: readonly string[]): Promise<{ released: number }>;
	/**
	 * A worker stopping: its polls still held end now with no steps, so that none leases a step to a
	 * worker that is gone (where it would wait out its lease). Answers how many polls it ended.
	 */
	leave(workerId: string): Promise<{ polls_ended: number }>;
	depth(): Promise<{ visible: number; leased: number }>;
}
