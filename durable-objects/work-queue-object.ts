// One Durable Object per pull namespace: where its dispatched steps wait for remote workers (any
// language, over HTTP) to lease them. It plays the part a Cloudflare Queue plays for a queue consumer,
// no more: it holds step messages (references, not data), hands each to one worker at a time under a
// lease, and makes it visible again when the lease runs out. Claims, results, fencing and timeouts stay
// the task object's, exactly as with a queue (docs/pull-workers.md).
import { DurableObject } from "cloudflare:workers";
import type { StepMessage } from "../src/core/step-message";
import { configureLogging } from "../src/observability/log-event";
import type { LeaseRequest, WorkLease, WorkQueueApi } from "../src/pull/work-queue-api";
import { Waiters } from "../src/runtime/waiters";

interface MessageRow extends Record<string, SqlStorageValue> {
	id: number;
	body: string;
	deliveries: number;
}

export class WorkQueueObject extends DurableObject<Env> implements WorkQueueApi {
	private readonly sql: SqlStorage;
	/** Held polls, woken when a message arrives or a lease runs out. In memory: a poll is a live request. */
	private readonly workWaiters = new Waiters();
	/** The held polls of each worker that named itself, so that one leaving ends its own (see leave). */
	private readonly pollsByWorker = new Map<string, Set<{ ended: boolean }>>();

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		// TASKER_LOG_LEVEL: an object may run where no request of this Worker has set it.
		configureLogging(env);
		this.sql = ctx.storage.sql;
		// `visible_at`: when the message may be delivered (now, or when its lease runs out). One row per
		// step attempt: a duplicate send (a re-send after a lost confirmation) is the same row.
		this.sql.exec(`CREATE TABLE IF NOT EXISTS message (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			step_uuid TEXT NOT NULL,
			attempt INTEGER NOT NULL,
			callable TEXT,
			body TEXT NOT NULL,
			enqueued_at INTEGER NOT NULL,
			visible_at INTEGER NOT NULL,
			lease_id TEXT,
			deliveries INTEGER NOT NULL DEFAULT 0,
			UNIQUE (step_uuid, attempt)
		)`);
		this.sql.exec("CREATE INDEX IF NOT EXISTS message_visible ON message (visible_at)");
		this.sql.exec("CREATE INDEX IF NOT EXISTS message_lease ON message (lease_id)");
	}

	/** The task object's send: saves the messages (a duplicate of a waiting one changes nothing), wakes polls. */
	async enqueue(messages: readonly StepMessage[]): Promise<{ accepted: number }> {
		const now = Date.now();
		let accepted = 0;
		this.ctx.storage.transactionSync(() => {
			for (const message of messages) {
				const cursor = this.sql.exec(
					`INSERT INTO message (step_uuid, attempt, callable, body, enqueued_at, visible_at)
					 VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (step_uuid, attempt) DO NOTHING`,
					message.step_uuid,
					message.attempt,
					message.callable ?? null,
					JSON.stringify(message),
					now,
					now,
				);
				accepted += cursor.rowsWritten > 0 ? 1 : 0;
			}
		});
		this.workWaiters.wakeAll();
		return { accepted };
	}

	/**
	 * Leases up to `max` visible messages for one worker's handlers, waiting up to `waitMs` for one to
	 * arrive when none is there. Each is invisible to every other poll until its lease runs out.
	 */
	async lease(request: LeaseRequest): Promise<WorkLease[]> {
		const deadline = Date.now() + request.waitMs;
		const poll = { ended: false };
		const forget = this.hold(request.workerId, poll);
		try {
			for (;;) {
				if (poll.ended) return [];
				const leases = this.take(request);
				const left = deadline - Date.now();
				if (leases.length > 0 || left <= 0) return leases;
				await this.workWaiters.wait(left);
			}
		} finally {
			forget();
		}
	}

	/** Keeps a held poll under its worker's id (when it gave one); the function returned forgets it. */
	private hold(workerId: string | undefined, poll: { ended: boolean }): () => void {
		if (workerId === undefined) return () => {};
		const held = this.pollsByWorker.get(workerId) ?? new Set();
		this.pollsByWorker.set(workerId, held.add(poll));
		return () => {
			held.delete(poll);
			if (held.size === 0 && this.pollsByWorker.get(workerId) === held) this.pollsByWorker.delete(workerId);
		};
	}

	/** A worker stopping: its polls still held here end now, empty (see WorkQueueApi.leave). */
	async leave(workerId: string): Promise<{ polls_ended: number }> {
		const held = this.pollsByWorker.get(workerId);
		if (!held) return { polls_ended: 0 };
		for (const poll of held) poll.ended = true;
		this.workWaiters.wakeAll();
		return { polls_ended: held.size };
	}

	/** A worker still running its steps: their leases run `leaseMs` from now. Answers which it still holds. */
	async extend(leaseIds: readonly string[], leaseMs: number): Promise<{ held: string[]; lost: string[] }> {
		const now = Date.now();
		const held: string[] = [];
		const lost: string[] = [];
		this.ctx.storage.transactionSync(() => {
			for (const leaseId of leaseIds) {
				const cursor = this.sql.exec(
					"UPDATE message SET visible_at = ? WHERE lease_id = ?",
					now + leaseMs,
					leaseId,
				);
				(cursor.rowsWritten > 0 ? held : lost).push(leaseId);
			}
		});
		this.armForLeases();
		return { held, lost };
	}

	/** Done with: the step's outcome is recorded (or its claim was refused). A stale lease removes nothing. */
	async ack(leaseIds: readonly string[]): Promise<{ acked: number }> {
		let acked = 0;
		this.ctx.storage.transactionSync(() => {
			for (const leaseId of leaseIds) {
				acked += this.sql.exec("DELETE FROM message WHERE lease_id = ?", leaseId).rowsWritten > 0 ? 1 : 0;
			}
		});
		return { acked };
	}

	/** Given back unfinished (a worker stopping, a claim that could not be made): deliverable again now. */
	async release(leaseIds: readonly string[]): Promise<{ released: number }> {
		const now = Date.now();
		let released = 0;
		this.ctx.storage.transactionSync(() => {
			for (const leaseId of leaseIds) {
				const cursor = this.sql.exec(
					"UPDATE message SET visible_at = ?, lease_id = NULL WHERE lease_id = ?",
					now,
					leaseId,
				);
				released += cursor.rowsWritten > 0 ? 1 : 0;
			}
		});
		if (released > 0) this.workWaiters.wakeAll();
		return { released };
	}

	/** What waits here: messages deliverable now, and messages under a lease. */
	async depth(): Promise<{ visible: number; leased: number }> {
		const now = Date.now();
		const [row] = this.sql
			.exec<{ visible: number; leased: number }>(
				"SELECT COALESCE(SUM(visible_at <= ?), 0) AS visible, COALESCE(SUM(visible_at > ?), 0) AS leased FROM message",
				now,
				now,
			)
			.toArray();
		return { visible: row?.visible ?? 0, leased: row?.leased ?? 0 };
	}

	/** A lease has run out: its message is deliverable again, so held polls look once more. */
	override async alarm(): Promise<void> {
		this.workWaiters.wakeAll();
		this.armForLeases();
	}

	private take(request: LeaseRequest): WorkLease[] {
		const now = Date.now();
		const handlers = [...new Set(request.handlers)];
		const placeholders = handlers.map(() => "?").join(", ");
		const leases = this.ctx.storage.transactionSync(() => {
			const rows = this.sql
				.exec<MessageRow>(
					`SELECT id, body, deliveries FROM message
					 WHERE visible_at <= ? AND (callable IS NULL${handlers.length > 0 ? ` OR callable IN (${placeholders})` : ""})
					 ORDER BY id LIMIT ?`,
					now,
					...handlers,
					request.max,
				)
				.toArray();
			return rows.map((row) => {
				const leaseId = crypto.randomUUID();
				this.sql.exec(
					"UPDATE message SET lease_id = ?, visible_at = ?, deliveries = deliveries + 1 WHERE id = ?",
					leaseId,
					now + request.leaseMs,
					row.id,
				);
				return {
					lease_id: leaseId,
					message: JSON.parse(row.body) as StepMessage,
					deliveries: row.deliveries + 1,
				};
			});
		});
		if (leases.length > 0) this.armForLeases();
		return leases;
	}

	/** The alarm follows the earliest lease still running: when it runs out, held polls must look again. */
	private armForLeases(): void {
		const now = Date.now();
		const [next] = this.sql
			.exec<{ at: number | null }>("SELECT MIN(visible_at) AS at FROM message WHERE visible_at > ?", now)
			.toArray();
		if (next?.at !== null && next?.at !== undefined) void this.ctx.storage.setAlarm(next.at);
	}
}
