// The pull protocol's bounds, in one place: what a worker may ask for, and the defaults it gets.

/** How long an empty poll is held before it answers with no steps (below common proxy idle cut-offs). */
export const DEFAULT_POLL_WAIT_SECONDS = 20;
export const MAX_POLL_WAIT_SECONDS = 25;
/** Steps one poll may lease at most. */
export const MAX_STEPS_PER_POLL = 20;
/**
 * A lease: how long a delivered step stays invisible to other workers. A worker extends it while the
 * handler runs (a heartbeat every third of it); one that dies stops extending, and the step is delivered
 * again when it runs out. Short, so that a dead worker costs little; the step's own timeout is still
 * enforced by its task object, whatever the lease.
 */
export const DEFAULT_LEASE_SECONDS = 30;
export const MIN_LEASE_SECONDS = 1;
export const MAX_LEASE_SECONDS = 300;
/** Handler names one worker may announce. */
export const MAX_HANDLERS_PER_WORKER = 200;
/** Results one report may carry, and leases one heartbeat or release may name. */
export const MAX_RESULTS_PER_REPORT = 100;
/**
 * Deliveries of one message before it is given up on, as a queue's `max_retries` (wrangler.toml): a
 * step whose workers keep dying before they report becomes a permanent `delivery_exhausted` failure
 * with a DLQ entry, as a dead letter of a queue does, never a step delivered forever.
 */
export const MAX_DELIVERIES = 10;
