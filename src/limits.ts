// Every size and count limit in one place, as named constants: documented in the README, enforced at
// the edge (HTTP, template validation) so that nothing deeper ever meets an input past them.

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

/** Retry defaults, as the reference: 3 runs in all, exponential from 1 s, capped at 30 s. */
export const DEFAULT_RETRY = {
	retryable: true,
	maxAttempts: 3,
	backoff: "exponential",
	backoffBaseMs: 1_000,
	maxBackoffMs: 30_000,
} as const;
export const MAX_ATTEMPTS_LIMIT = 100;
export const MIN_BACKOFF_BASE_MS = 100;
export const MIN_MAX_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_LIMIT_MS = 3_600_000;
/** Jitter spreads retries of many steps: the delay is scaled by a factor in [1 - J, 1 + J]. */
export const BACKOFF_JITTER_FRACTION = 0.15;
/** A handler's `retryAfterSeconds` wins over the computed backoff, up to this. */
export const MAX_RETRY_AFTER_SECONDS = 3_600;

/** A step's time budget when its template sets no `timeout_seconds` (the reference's worker-wide 30 s). */
export const DEFAULT_STEP_TIMEOUT_SECONDS = 30;
export const MAX_STEP_TIMEOUT_SECONDS = 3_600;
/**
 * The task object's deadline for a running attempt is its timeout plus this grace: the consumer
 * stops waiting at the timeout itself and reports it, so the object only acts when that report is
 * lost (the consumer died or hung).
 */
export const STEP_DEADLINE_GRACE_MS = 5_000;

/**
 * A step whose message the queue accepted but no consumer claimed within this long is sent again
 * (the same attempt, so it is fenced like any duplicate). Cloudflare keeps queued messages for days,
 * so this is for the message lost anyway: `wrangler dev` killed with messages still queued (its local
 * queue lives in memory), or one dropped past its retention. Long enough that a backlog seldom
 * triggers it; a re-send that races the original costs a duplicate delivery, never a second result.
 */
export const STEP_CLAIM_WINDOW_MS = 120_000;

/**
 * Arrays and objects inside one another, in a JSON body or a template: deeper values could not be
 * serialised again without overflowing the stack (a 500), and no task context needs them.
 */
export const MAX_NESTING_DEPTH = 64;
/** Aliases (`*name`) in one template: the YAML library's own guard against alias bombs, made explicit. */
export const MAX_YAML_ALIASES = 100;

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
