// One JSON line per lifecycle event: greppable locally, and structured for Workers Logs in production.
export function logEvent(event: string, fields: Record<string, unknown>): void {
	console.log(JSON.stringify({ event, ...fields, at: new Date().toISOString() }));
}
