// A task object's SQL with every statement counted and kept (whitespace folded), for tests that assert how
// many statements an operation costs: deterministic, unlike its time.
export function countingSql(sql: SqlStorage): {
	sql: SqlStorage;
	statements: () => number;
	queries: string[];
} {
	const queries: string[] = [];
	const counting = {
		exec: (query: string, ...bindings: unknown[]) => {
			queries.push(query.replace(/\s+/g, " ").trim());
			return sql.exec(query, ...bindings);
		},
	} as unknown as SqlStorage;
	return { sql: counting, statements: () => queries.length, queries };
}
