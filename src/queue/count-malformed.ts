// Counts a batch's malformed messages in the fleet-wide metrics (D1), so that they are visible on
// GET /metrics across every consumer isolate, not only in one isolate's logs. Best effort: the
// messages are acked whatever happens here, and a D1 fault never fails the batch.
import { addMessageCount } from "../metrics/metrics-store";
import { logEvent } from "../observability/log-event";

export async function countMalformed(
	db: D1Database | undefined,
	queue: string,
	count: number,
): Promise<void> {
	// A handler Worker without the task index binding: its log lines are the only record.
	if (!db || count === 0) return;
	try {
		await addMessageCount(db, "messages_malformed", queue, count);
	} catch (error) {
		logEvent("metrics.count_failed", { counter: "messages_malformed", queue, count, error: String(error) });
	}
}
