// Creates a D1 schema once per isolate, by whichever reader or writer comes first: statements are
// idempotent (IF NOT EXISTS), so two isolates racing to create it is harmless.

const created = new WeakMap<D1Database, Map<string, Promise<unknown>>>();

export function ensureD1Schema(
	db: D1Database,
	name: string,
	statements: readonly string[],
): Promise<unknown> {
	let schemas = created.get(db);
	if (!schemas) {
		schemas = new Map();
		created.set(db, schemas);
	}
	let done = schemas.get(name);
	if (!done) {
		done = db.batch(statements.map((statement) => db.prepare(statement))).catch((error) => {
			// A failed attempt is forgotten, so that the next caller tries again.
			schemas.delete(name);
			throw error;
		});
		schemas.set(name, done);
	}
	return done;
}
