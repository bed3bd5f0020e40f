// Every size, count and timing limit in one place, as named constants. Sizes and counts are enforced at
// the edge (HTTP, template validation) so that nothing deeper ever meets an input past them; the
// timings are the engine's and its shells' (the task runtime, the consumer): defined here only.

/** Largest accepted HTTP request body. */
export const MAX_REQUEST_BODY_BYTES = 1_048_576;
/** Largest task `context`, serialised as JSON (it is stored in one SQLite row and sent to every step). */
export const MAX_TASK_CONTEXT_BYTES = 524_288;
/** Largest step result, serialised as JSON (one SQLite row holds at most 2 MB). */
export const MAX_STEP_RESULT_BYTES = 1_048_576;
/** Steps in one template (one task object holds them all). */
export const MAX_STEPS_PER_TEMPLATE = 10_000;
/** Template, namespace and step names. */
export const MAX_NAME_LENGTH = 128;
/** The reference system's limit, kept so that namespace-derived queue names stay short. */
export const MAX_NAMESPACE_LENGTH = 29;
export const MAX_CALLABLE_LENGTH = 500;
/** Free-text request fields: `initiator`, `source_system`, `reason`, `correlation_id`, each tag. */
export const MAX_TEXT_FIELD_LENGTH = 1_000;
export const MAX_TAGS = 50;
/** A request's `idempotency_key`: it names the submission's identity (hashed, so any length would fit). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/**
 * A step's handler `initialization`, serialised as JSON: it is stored with the step in its task
 * object and handed to every run of it, so a template cannot make each claim carry megabytes.
 */
export const MAX_HANDLER_INITIALIZATION_BYTES = 65_536;
/** Longest `GET /v1/tasks/{uuid}?wait_seconds=N` a client may ask for. */
export const MAX_WAIT_SECONDS = 60;
/**
 * Steps a result may make ready and hand straight to the consumer that reported it, to run side by
 * side without a queue hop; a wider fan-out goes through the queue, to spread over many consumers.
 */
export const MAX_STEPS_HANDED_OVER = 8;
/** Messages per `Queue.sendBatch` call (the platform's own limit). */
export const MAX_MESSAGES_PER_SEND_BATCH = 100;
/**
 * A push's rows go to D1 as JSON text, one parameter per statement (read back with `json_each`), so that
 * a push is a handful of statements whatever the task's size: D1 counts every statement of a batch
 * against its queries per invocation (50 on the free plan, 1,000 on paid), and a push of one statement
 * per few rows exceeded that for a task of thousands of steps, and then never landed. This many UTF-16
 * code units of JSON per parameter stay under D1's 2,000,000-byte value limit (3 bytes each at most).
 */
export const D1_MAX_JSON_PARAMETER_CHARS = 600_000;

/** Retry defaults, as the reference: 3 runs in all, exponential from 1 s, capped at 30 s. */
export const DEFAULT_RETRY = {
	retryable: true,
	maxAttempts: 3,
	backoff: "exponential",
	backoffBaseMs: 1_000,
	maxBackoffMs: 30_000,
} as const;
/**
 * The reference reads `max_attempts` as any unsigned integer. tasker-edge keeps each step's attempts in
 * its task object and derives the task's default lifetime from attempts × timeout: past this, that
 * lifetime could fall outside the dates a Durable Object alarm accepts.
 */
export const MAX_ATTEMPTS_LIMIT = 10_000;
export const MAX_ATTEMPTS_REASON =
	"tasker-edge's limit MAX_ATTEMPTS_LIMIT: a task's default lifetime grows with attempts × timeout and must stay a date a Durable Object alarm can be set to";
/**
 * The reference reads the backoff bounds as any unsigned integer (its documented 100/1,000 ms minimums
 * are not checked when a template loads, and its fixtures use 50 and 200): tasker-edge accepts 0 up to
 * 7 days, the longest `lifecycle.max_waiting_for_retry_minutes` (10,080) a task may wait for a retry.
 */
export const MAX_BACKOFF_LIMIT_MS = 604_800_000;
export const MAX_BACKOFF_REASON =
	"tasker-edge's limit MAX_BACKOFF_LIMIT_MS (7 days): a longer wait exceeds the longest lifecycle.max_waiting_for_retry_minutes (10080), so the task would be declared stale while it waits";
/** A template's `input_schema`, or a step's `result_schema` or event `schema`, serialised as JSON. */
export const MAX_TEMPLATE_SCHEMA_BYTES = 65_536;
/** Errors a 400 for a context that breaks `input_schema` lists (the count of the rest is given). */
export const MAX_SCHEMA_ERRORS_SHOWN = 20;
/** Jitter spreads retries of many steps: the delay is scaled by a factor in [1 - J, 1 + J]. */
export const BACKOFF_JITTER_FRACTION = 0.15;
/** A handler's `retryAfterSeconds` wins over the computed backoff, up to this. */
export const MAX_RETRY_AFTER_SECONDS = 3_600;

/** A step's time budget when its template sets no `timeout_seconds` (the reference's worker-wide 30 s). */
export const DEFAULT_STEP_TIMEOUT_SECONDS = 30;
export const MAX_STEP_TIMEOUT_SECONDS = 3_600;
export const MAX_STEP_TIMEOUT_REASON =
	"tasker-edge's limit MAX_STEP_TIMEOUT_SECONDS: a step runs inside one queue consumer invocation, whose wall time the platform bounds; an hour is already past it, so a longer budget could never be used";
/**
 * The task object's deadline for a running attempt is its timeout plus this grace: the consumer
 * stops waiting at the timeout itself and reports it, so the object only acts when that report is
 * lost (the consumer died or hung).
 */
export const STEP_DEADLINE_GRACE_MS = 5_000;

/** One run of a step at most: its timeout plus the task object's grace before it times the run out. */
export function stepRunBudgetMs(timeoutSeconds: number): number {
	return timeoutSeconds * 1_000 + STEP_DEADLINE_GRACE_MS;
}

/** Ranges of the reference's lifecycle fields (a template's `lifecycle` block), in minutes. */
export const MAX_DURATION_MINUTES_LIMIT = 43_200;
export const MAX_STATUS_MINUTES_LIMIT = 10_080;

/**
 * A step whose message the queue accepted but no consumer claimed within its claim window is sent
 * again (the same attempt, so it is fenced like any duplicate). Cloudflare keeps queued messages for
 * days, so this is for the message lost anyway: `wrangler dev` killed with messages still queued (its
 * local queue lives in memory), or one dropped past its retention. The window of a fresh send is
 * short, so that a lost message is sent again within seconds (STEP_CLAIM_WINDOW_FIRST_MS); each
 * re-send waits as long as the attempt has waited so far (src/core/claim-window.ts), so a backed-up
 * queue is re-sent to ever more rarely, at most once per STEP_CLAIM_WINDOW_MS. A re-send that races
 * the original costs a duplicate delivery, never a second result.
 */
export const STEP_CLAIM_WINDOW_FIRST_MS = 5_000;
/** The longest claim window: a message still unclaimed after many re-sends is sent again this often. */
export const STEP_CLAIM_WINDOW_MS = 120_000;

/**
 * How long a dispatch saved as owed is left to the send in progress before the alarm sends it again: the
 * alarm is the fallback of every send, armed in the same write that saved the dispatch.
 */
export const SEND_GRACE_MS = 5_000;
/** After a failed send (steps or domain events), when the alarm tries again. */
export const SEND_RETRY_MS = 1_000;
/** After a failed push of the fleet-wide views to D1 (index row, metrics, DLQ), when the alarm pushes again. */
export const INDEX_RETRY_MS = 2_000;
/**
 * How long a running task's new status waits before its index row is pushed (its end, metrics and DLQ
 * entries are pushed at once): a task of a few steps is finished by then, and pushes its row once.
 */
export const INDEX_ROW_DELAY_MS = 250;
/**
 * How many fleet writers the task objects' pushes to D1 are spread over (by task uuid). Each writes the
 * pushes that arrive together in one batch: more writers, more D1 requests in parallel but smaller groups.
 * The writers hold nothing durable, so the number can change at any deploy.
 */
export const FLEET_WRITER_SHARDS = 4;
/** At most this many pushes in one writer's batch (a few statements however many: rows go in as JSON). */
export const FLEET_WRITER_MAX_GROUP = 100;
/**
 * How long a writer's batch waits for more pushes after its first: the index and metrics land this much
 * later (never a task's step: no engine operation waits for a push), and a busy fleet makes a D1 request
 * per batch instead of one per push.
 */
export const FLEET_WRITER_LINGER_MS = 10;
/** While a task runs, its metrics are pushed with its next event once this long has passed since the last push. */
export const METRICS_FLUSH_MS = 10_000;
/** Owed domain events one alarm sends again; the rest wait for the next alarm, armed by the send. */
export const MAX_DOMAIN_EVENTS_PER_ALARM = 500;
/** A consumer's redelivery delay after an infrastructure fault (the task object unreachable), by delivery count. */
export const CONSUMER_RETRY_DELAYS_SECONDS: number[] = [1, 2, 5, 10, 30];
/** A chain run in one consumer invocation stops taking steps after this many, or after this long. */
export const MAX_STEPS_PER_INVOCATION = 50;
export const MAX_CHAIN_MILLISECONDS = 5_000;

/**
 * Arrays and objects inside one another, in a JSON body or a template: deeper values could not be
 * serialised again without overflowing the stack (a 500), and no task context needs them.
 */
export const MAX_NESTING_DEPTH = 64;
/** Aliases (`*name`) in one template: the YAML library's own guard against alias bombs, made explicit. */
export const MAX_YAML_ALIASES = 100;

/**
 * Dynamic workflows (decision points and batches), with the reference's limits: a decision creates
 * at most this many steps in one pass (its chosen steps and everything it pulls in with them)...
 */
export const MAX_STEPS_PER_DECISION = 100;
/** ...and decisions nest at most this deep along any path of a template. */
export const MAX_DECISION_DEPTH = 20;
/** Workers one batchable step may create: the reference's top of `batch_config.parallelism` (1–1000). */
export const MAX_BATCH_WORKERS = 1_000;
/** `batch_config.batch_size`: default and range, as the reference's. */
export const DEFAULT_BATCH_SIZE = 1_000;
export const MAX_BATCH_SIZE = 100_000;
/** `batch_config.parallelism`: default and range, as the reference's. */
export const DEFAULT_BATCH_PARALLELISM = 10;
export const MAX_BATCH_PARALLELISM = 1_000;
/**
 * A step may yield a checkpoint and be run again this many times at most: past it, the yield fails
 * the step for good, so a handler that never advances cannot loop forever.
 */
export const MAX_CHECKPOINT_YIELDS = 10_000;
/** A checkpoint (cursor, counts and accumulated results), serialised as JSON: it is kept with its step. */
export const MAX_CHECKPOINT_BYTES = 1_048_576;

/**
 * Schedules (src/schedules). Missed runs a schedule with `catch_up: all` starts after downtime, the
 * newest ones: older due times past this are recorded as missed, so a schedule asleep for a month
 * does not flood its namespace with a month of runs at once.
 */
export const MAX_SCHEDULE_CATCH_UP_RUNS = 10;
/**
 * How late an alarm may fire and its due time still count as on time, for `catch_up: none`: alarms
 * are usually punctual but can be delayed up to about a minute during maintenance or failover.
 */
export const SCHEDULE_ON_TIME_GRACE_MS = 90_000;
/** Runs a schedule remembers (GET /v1/schedules/{id} shows them); older ones are forgotten. */
export const MAX_SCHEDULE_RUNS_KEPT = 50;
/** Upcoming due times shown by GET /v1/schedules/{id}. */
export const SCHEDULE_NEXT_RUNS_SHOWN = 5;
/** A cron expression's length (a valid five-field expression is far shorter). */
export const MAX_CRON_LENGTH = 200;
/** Retry delay of a schedule whose run could not be submitted (the task object or D1 failed). */
export const SCHEDULE_RETRY_MS = 5_000;

/**
 * Waits (src/core/wait-*.ts). Events a task keeps before a step waits for them (sent early, or
 * matching no wait yet): past this, an event that finds no waiting step is refused (409), so a task
 * cannot be made to store an unbounded inbox.
 */
export const MAX_BUFFERED_EVENTS_PER_TASK = 100;
/** Longest `event.timeout_seconds` and `sleep.seconds` (as Cloudflare Workflows: 365 days). */
export const MAX_WAIT_SECONDS_LIMIT = 31_536_000;
/** An event's `name` (and a wait's `event.name`). */
export const MAX_EVENT_NAME_LENGTH = 100;
/** An event's `payload`, as JSON: it becomes the waiting step's result (one SQLite row). */
export const MAX_EVENT_PAYLOAD_BYTES = 262_144;
