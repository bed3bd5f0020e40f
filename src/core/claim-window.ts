// How long a sent step may stay unclaimed before the alarm sends the same attempt again. A message the
// queue accepted can still be lost (`wrangler dev` killed with it queued, a message dropped past its
// retention), so the window must be short for a fast recovery; but a backed-up queue also leaves
// messages unclaimed for a while, and re-sending all of them every few seconds would only back it up
// further. So the window is as long as the attempt has already waited: short for a fresh send, then
// doubling with each re-send (the wait since the attempt was queued doubles with every pass), capped.
// A step that waited W before its message was lost is sent again within about W more: a message lost
// in a restart comes back within seconds, while a backlog of B seconds costs each message at most
// about log2(B / first window) re-sends, each of them the same attempt, fenced like any duplicate.
import { STEP_CLAIM_WINDOW_FIRST_MS, STEP_CLAIM_WINDOW_MS } from "../limits";

/**
 * The claim window of one send of an attempt.
 * @param waitedMs how long the attempt has waited unclaimed, from when it was queued (the step entered
 *   `enqueued`) to when this send was due: 0 for the first send, then the time of every earlier window
 */
export function claimWindowMs(waitedMs: number): number {
	return Math.min(STEP_CLAIM_WINDOW_MS, Math.max(STEP_CLAIM_WINDOW_FIRST_MS, waitedMs));
}

/**
 * When a send of an attempt must have been claimed by, counted from when the send was due (on the
 * engine's clock) and the time the step entered `enqueued` for this attempt.
 */
export function claimDeadline(enqueuedAt: number, sendDueAt: number): number {
	return sendDueAt + claimWindowMs(sendDueAt - enqueuedAt);
}
