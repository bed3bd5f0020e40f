// The task object's event inbox in SQLite (see src/core/wait-inbox.ts): one row per event applied or
// kept. Its table is created on first use, so tasks that never receive an event never have it.
import type { EventInbox, InboxEvent } from "../src/core/wait-inbox";

type Row = Record<string, SqlStorageValue>;

export class SqliteEventInbox implements EventInbox {
	private readonly sql: SqlStorage;
	private ready = false;

	constructor(sql: SqlStorage) {
		this.sql = sql;
	}

	find(eventId: string): InboxEvent | null {
		this.ensure();
		const [row] = this.sql.exec<Row>("SELECT * FROM event_inbox WHERE event_id = ?", eventId).toArray();
		return row ? toEvent(row) : null;
	}

	add(event: InboxEvent): void {
		this.ensure();
		this.sql.exec(
			"INSERT INTO event_inbox (event_id, name, payload, received_at, consumed_by) VALUES (?, ?, ?, ?, ?)",
			event.eventId,
			event.name,
			JSON.stringify(event.payload ?? null),
			event.receivedAt,
			event.consumedBy,
		);
	}

	markConsumed(eventId: string, stepUuid: string): void {
		this.ensure();
		this.sql.exec("UPDATE event_inbox SET consumed_by = ? WHERE event_id = ?", stepUuid, eventId);
	}

	kept(name: string): InboxEvent[] {
		this.ensure();
		return this.sql
			.exec<Row>(
				"SELECT * FROM event_inbox WHERE consumed_by IS NULL AND name = ? ORDER BY received_at, event_id",
				name,
			)
			.toArray()
			.map(toEvent);
	}

	keptCount(): number {
		this.ensure();
		const [row] = this.sql
			.exec<Row>("SELECT COUNT(*) AS n FROM event_inbox WHERE consumed_by IS NULL")
			.toArray();
		return Number(row?.n ?? 0);
	}

	private ensure(): void {
		if (this.ready) return;
		this.sql.exec(`CREATE TABLE IF NOT EXISTS event_inbox (
			event_id TEXT PRIMARY KEY, name TEXT NOT NULL, payload TEXT NOT NULL, received_at INTEGER NOT NULL,
			consumed_by TEXT
		) WITHOUT ROWID`);
		this.ready = true;
	}
}

function toEvent(row: Row): InboxEvent {
	return {
		eventId: String(row.event_id),
		name: String(row.name),
		payload: JSON.parse(String(row.payload)) as unknown,
		receivedAt: Number(row.received_at),
		consumedBy: row.consumed_by === null ? null : String(row.consumed_by),
	};
}
