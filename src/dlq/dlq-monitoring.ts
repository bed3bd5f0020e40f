// The DLQ's two monitoring reads (reference: v_dlq_investigation_queue, v_task_staleness_monitoring),
// from D1 alone: the pending entries ordered for triage, and the running tasks' time in their status
// against their staleness threshold (the thresholds come from the task's template, as the task object
// computed them at creation; a template no longer loaded falls back to the global defaults).
import { DEFAULT_LIFECYCLE, type StalenessPolicy, stalenessPolicy, statusThreshold } from "../core/lifecycle";
import type { TaskState } from "../core/states";
import type { TemplateRegistry } from "../registry/template-registry";

/** The reference's triage weights: a base per reason, plus one point per minute in the DLQ. */
export const DLQ_REASON_PRIORITY: Readonly<Record<string, number>> = {
	dependency_cycle_detected: 1000,
	max_retries_exceeded: 500,
	staleness_timeout: 100,
	worker_unavailable: 50,
};
const OTHER_REASON_PRIORITY = 10;

export interface InvestigationQueueRow {
	dlq_entry_uuid: string;
	task_uuid: string;
	original_state: string;
	dlq_reason: string;
	dlq_timestamp: number;
	minutes_in_dlq: number;
	namespace_name: string | null;
	task_name: string | null;
	current_state: string | null;
	time_in_state_minutes: number | null;
	priority_score: number;
}

export async function investigationQueue(
	db: D1Database,
	now: number,
	limit: number,
): Promise<InvestigationQueueRow[]> {
	const cases = Object.entries(DLQ_REASON_PRIORITY)
		.map(([reason, score]) => `WHEN '${reason}' THEN ${score}`)
		.join(" ");
	const { results } = await db
		.prepare(
			`SELECT d.dlq_entry_uuid, d.task_uuid, d.original_state, d.dlq_reason, d.dlq_timestamp, d.namespace,
				d.task_name, d.metadata, i.status AS current_state, i.updated_at AS state_since,
				(CASE d.dlq_reason ${cases} ELSE ${OTHER_REASON_PRIORITY} END) + (? - d.dlq_timestamp) / 60000.0 AS priority_score
			FROM dlq_entry d LEFT JOIN task_index i ON i.task_uuid = d.task_uuid
			WHERE d.resolution_status = 'pending' ORDER BY priority_score DESC, d.dlq_entry_uuid LIMIT ?`,
		)
		.bind(now, limit)
		.all<Record<string, unknown>>();
	return (results ?? []).map((r) => {
		const minutes = (now - Number(r.dlq_timestamp)) / 60_000;
		const metadata = parseObject(r.metadata);
		const fromMetadata = metadata.time_in_state_minutes;
		const timeInState =
			typeof fromMetadata === "number"
				? Math.floor(fromMetadata)
				: r.state_since === null || r.state_since === undefined
					? null
					: Math.floor((now - Number(r.state_since)) / 60_000);
		return {
			dlq_entry_uuid: String(r.dlq_entry_uuid),
			task_uuid: String(r.task_uuid),
			original_state: String(r.original_state),
			dlq_reason: String(r.dlq_reason),
			dlq_timestamp: Number(r.dlq_timestamp),
			minutes_in_dlq: round2(minutes),
			namespace_name: r.namespace === null ? null : String(r.namespace),
			task_name: r.task_name === null ? null : String(r.task_name),
			current_state:
				r.current_state === null || r.current_state === undefined ? null : String(r.current_state),
			time_in_state_minutes: timeInState,
			priority_score: round2(Number(r.priority_score)),
		};
	});
}

export type StalenessHealth = "healthy" | "warning" | "stale";

export interface StalenessRow {
	task_uuid: string;
	namespace_name: string;
	task_name: string;
	current_state: string;
	time_in_state_minutes: number;
	task_age_minutes: number;
	staleness_threshold_minutes: number;
	health_status: StalenessHealth;
	priority: number;
}

/** The statuses the reference monitors, plus ours that wait on running steps (enqueuing, blocked). */
const MONITORED = [
	"waiting_for_dependencies",
	"waiting_for_retry",
	"steps_in_process",
	"enqueuing_steps",
	"blocked_by_failures",
];

/** Stale first, then warning, then healthy; longest in status first within each. */
export async function stalenessMonitoring(
	db: D1Database,
	templates: TemplateRegistry,
	now: number,
	limit: number,
): Promise<StalenessRow[]> {
	// Every monitored task is read (one row each, few columns): the order depends on each template's thresholds.
	const { results } = await db
		.prepare(
			`SELECT task_uuid, namespace, name, version, status, priority, created_at, updated_at FROM task_index
			WHERE status IN (${MONITORED.map(() => "?").join(", ")})`,
		)
		.bind(...MONITORED)
		.all<Record<string, unknown>>();
	const policies = new Map<string, StalenessPolicy>();
	const policyOf = (namespace: string, name: string, version: string) => {
		const key = `${namespace}/${name}/${version}`;
		let policy = policies.get(key);
		if (!policy) {
			const found = templates.find(namespace, name, version);
			policy = found.ok ? stalenessPolicy(found.template) : DEFAULT_POLICY;
			policies.set(key, policy);
		}
		return policy;
	};
	const rows = (results ?? []).map((r): StalenessRow => {
		const status = String(r.status) as TaskState;
		const threshold = statusThreshold(
			policyOf(String(r.namespace), String(r.name), String(r.version)),
			status,
		);
		const inState = now - Number(r.updated_at);
		const health: StalenessHealth =
			inState >= threshold.ms ? "stale" : inState >= threshold.ms * 0.8 ? "warning" : "healthy";
		return {
			task_uuid: String(r.task_uuid),
			namespace_name: String(r.namespace),
			task_name: String(r.name),
			current_state: status,
			time_in_state_minutes: Math.floor(inState / 60_000),
			task_age_minutes: Math.floor((now - Number(r.created_at)) / 60_000),
			staleness_threshold_minutes: Math.round(threshold.ms / 60_000),
			health_status: health,
			priority: Number(r.priority),
		};
	});
	const rank: Record<StalenessHealth, number> = { stale: 0, warning: 1, healthy: 2 };
	rows.sort(
		(a, b) =>
			rank[a.health_status] - rank[b.health_status] ||
			b.time_in_state_minutes - a.time_in_state_minutes ||
			a.task_uuid.localeCompare(b.task_uuid),
	);
	return rows.slice(0, limit);
}

const MINUTE = 60_000;
const DEFAULT_POLICY: StalenessPolicy = {
	action: DEFAULT_LIFECYCLE.stalenessAction,
	maxDurationMs: DEFAULT_LIFECYCLE.maxDurationMinutes * MINUTE,
	maxWaitingForDependenciesMs: DEFAULT_LIFECYCLE.maxWaitingForDependenciesMinutes * MINUTE,
	maxWaitingForRetryMs: DEFAULT_LIFECYCLE.maxWaitingForRetryMinutes * MINUTE,
	maxStepsInProcessMs: DEFAULT_LIFECYCLE.maxStepsInProcessMinutes * MINUTE,
};

function parseObject(text: unknown): Record<string, unknown> {
	try {
		const value = JSON.parse(String(text));
		return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
	} catch {
		return {};
	}
}

function round2(n: number): number {
	return Math.round(n * 100) / 100;
}
