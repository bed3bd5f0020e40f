// Published prices the cost figures use (Workers Paid, beyond the included amounts), with where they come from.

export const PRICES = {
	/** Durable Objects: per million requests (each RPC call, each alarm). */
	doRequestPerMillion: 0.15,
	/** SQLite in Durable Objects: per million rows read / written. */
	rowReadPerMillion: 0.001,
	rowWrittenPerMillion: 1.0,
	/** Queues: per million 64 KB operations; a delivered message is about 3 (write, read, delete). */
	queueOperationPerMillion: 0.4,
	queueOperationsPerMessage: 3,
	/** Workers Standard: per million requests (a queue consumer invocation is one). */
	workerRequestPerMillion: 0.3,
	/** AWS Step Functions Standard: per million state transitions (one per step at the very least). */
	stepFunctionsTransitionPerMillion: 25,
} as const;

export const PRICE_SOURCE =
	"Cloudflare's Durable Objects, Queues and Workers pricing pages and AWS Step Functions pricing " +
	"(documentation as published in 2026; limits pages updated Jun 2026)";
