// One Durable Object per task identity (named by its hash): the single, strongly consistent place where
// every submission of one identity meets, so that of any number of concurrent duplicates the first wins.
import { DurableObject } from "cloudflare:workers";
import type { IdentityClaim } from "../src/identity-object-stub";

export class IdentityObject extends DurableObject<Env> {
	/**
	 * First writer wins: claims the identity for `taskUuid`, or answers the task that holds it. Read and
	 * write are one synchronous transaction with no await, so concurrent claims run one after another.
	 * The table is created in that same transaction, not in the constructor: an identity object lives
	 * for one claim or a few, and a separate schema write was a second commit on every submission's path.
	 */
	claim(taskUuid: string): IdentityClaim {
		return this.ctx.storage.transactionSync(() => {
			const sql = this.ctx.storage.sql;
			// At most one row: the task this identity belongs to, for good (a duplicate is refused even
			// after that task finished, as the reference's global unique index does), and when it was
			// claimed, for diagnosis.
			sql.exec(`CREATE TABLE IF NOT EXISTS identity_claim (
				singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
				task_uuid TEXT NOT NULL,
				claimed_at INTEGER NOT NULL
			)`);
			const [held] = sql.exec<{ task_uuid: string }>("SELECT task_uuid FROM identity_claim").toArray();
			if (held) return { claimed: false, taskUuid: held.task_uuid };
			sql.exec(
				"INSERT INTO identity_claim (singleton, task_uuid, claimed_at) VALUES (1, ?, ?)",
				taskUuid,
				Date.now(),
			);
			return { claimed: true };
		});
	}
}
