// What `npm run setup:cloudflare` must create for a wrangler config (its queues, dead-letter queues and
// D1 databases), decided from the config and what the account already has: pure, so that the dry run
// and the tests need no network. The script (scripts/setup-cloudflare.ts) runs wrangler for the rest.

export interface SetupNeeds {
	/** Every queue the config names: producers, consumers and their dead-letter queues, once each. */
	queues: string[];
	d1: Array<{ binding: string; name: string; id: string | null }>;
}

/** The all-zero id the config ships with: a placeholder, not a database. */
export const PLACEHOLDER_D1_ID = "00000000-0000-0000-0000-000000000000";

interface RawConfig {
	queues?: {
		producers?: Array<{ queue?: unknown }>;
		consumers?: Array<{ queue?: unknown; dead_letter_queue?: unknown }>;
	};
	d1_databases?: Array<{ binding?: unknown; database_name?: unknown; database_id?: unknown }>;
}

export function setupNeeds(config: RawConfig): SetupNeeds {
	const queues: string[] = [];
	const add = (name: unknown) => {
		if (typeof name === "string" && name !== "" && !queues.includes(name)) queues.push(name);
	};
	for (const producer of config.queues?.producers ?? []) add(producer.queue);
	for (const consumer of config.queues?.consumers ?? []) {
		add(consumer.queue);
		add(consumer.dead_letter_queue);
	}
	const d1 = (config.d1_databases ?? []).flatMap((db) =>
		typeof db.binding === "string" && typeof db.database_name === "string"
			? [
					{
						binding: db.binding,
						name: db.database_name,
						id:
							typeof db.database_id === "string" && db.database_id !== PLACEHOLDER_D1_ID
								? db.database_id
								: null,
					},
				]
			: [],
	);
	return { queues, d1 };
}

export type SetupAction =
	| { kind: "create_queue"; name: string }
	| { kind: "queue_exists"; name: string }
	| { kind: "create_d1"; name: string; binding: string }
	/** The database exists: its id goes into the config unless the config has it already. */
	| { kind: "d1_exists"; name: string; binding: string; id: string; writeId: boolean };

/** What to do, given the names the account has (null: unknown, as in a dry run offline). */
export function planSetup(
	needs: SetupNeeds,
	existing: { queues: readonly string[]; d1: ReadonlyArray<{ name: string; uuid: string }> } | null,
): SetupAction[] {
	const actions: SetupAction[] = [];
	for (const name of needs.queues) {
		actions.push(
			existing?.queues.includes(name) ? { kind: "queue_exists", name } : { kind: "create_queue", name },
		);
	}
	for (const db of needs.d1) {
		const found = existing?.d1.find((d) => d.name === db.name);
		actions.push(
			found
				? {
						kind: "d1_exists",
						name: db.name,
						binding: db.binding,
						id: found.uuid,
						writeId: found.uuid !== db.id,
					}
				: { kind: "create_d1", name: db.name, binding: db.binding },
		);
	}
	return actions;
}

/** One line per action, as the script prints it (`would` in a dry run). */
export function describeAction(action: SetupAction, dryRun: boolean): string {
	switch (action.kind) {
		case "create_queue":
			return dryRun ? `would create queue ${action.name} (unless it exists)` : `created queue ${action.name}`;
		case "queue_exists":
			return `queue ${action.name} exists: kept`;
		case "create_d1":
			return dryRun
				? `would create D1 database ${action.name} (unless it exists) and write its id into the config (${action.binding})`
				: `created D1 database ${action.name} (${action.binding})`;
		case "d1_exists":
			return action.writeId
				? `D1 database ${action.name} exists (${action.id}): its id written into the config (${action.binding})`
				: `D1 database ${action.name} exists (${action.id}): kept, the config has its id`;
	}
}

/**
 * The config text with `database_id` set for the `[[d1_databases]]` table of `databaseName` (TOML,
 * edited in place so that its comments stay). Throws if that table or its id line is not found.
 */
export function withDatabaseId(toml: string, databaseName: string, id: string): string {
	const tables = toml.split(/(?=^\[)/m);
	let replaced = false;
	const out = tables.map((table) => {
		if (!table.startsWith("[[d1_databases]]")) return table;
		const name = /^database_name\s*=\s*"([^"]*)"/m.exec(table)?.[1];
		if (name !== databaseName) return table;
		const next = table.replace(/^database_id\s*=\s*"[^"]*"/m, `database_id = "${id}"`);
		replaced = next !== table || table.includes(`database_id = "${id}"`);
		return next;
	});
	if (!replaced)
		throw new Error(`no [[d1_databases]] table with database_name = "${databaseName}" and a database_id`);
	return out.join("");
}

/** The uuid that `wrangler d1 create` prints for the new database. */
export function createdDatabaseId(output: string): string | null {
	return /"?database_id"?\s*[=:]\s*"([0-9a-f-]{36})"/i.exec(output)?.[1] ?? null;
}
