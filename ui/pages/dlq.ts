// The DLQ: entries by reason and status, the investigation queue in triage order, and the entries.
import { api } from "../api";
import { errorBox, esc } from "../dom";

interface QueueEntry {
	dlq_entry_uuid: string;
	task_uuid: string;
	dlq_reason: string;
	original_state: string;
	minutes_in_dlq: number;
	namespace_name: string | null;
	task_name: string | null;
	current_state: string | null;
	priority_score: number;
}

export async function dlqPage(root: HTMLElement): Promise<void> {
	root.innerHTML = `<h1>Dead-letter queue</h1><section><h2>By reason</h2><div id="dlq-stats">Loading…</div></section>
<section><h2>Investigation queue</h2><div id="dlq-queue" data-testid="dlq-queue">Loading…</div></section>
<section><h2>All entries</h2><div id="dlq-entries">Loading…</div></section>`;
	const fill = async (id: string, load: () => Promise<string>) => {
		const el = root.querySelector(id) as HTMLElement;
		try {
			el.innerHTML = await load();
		} catch (error) {
			el.innerHTML = errorBox(error);
		}
	};
	await Promise.all([
		fill("#dlq-stats", async () => {
			const stats = await api<Array<Record<string, unknown>>>("/v1/dlq/stats");
			return table(
				["reason", "total", "pending", "resolved", "failed", "cancelled", "mean minutes to resolve"],
				stats.map((s) => [
					s.dlq_reason,
					s.total_entries,
					s.pending,
					s.manually_resolved,
					s.permanent_failures,
					s.cancelled,
					s.avg_resolution_time_minutes ?? "",
				]),
			);
		}),
		fill("#dlq-queue", async () => {
			const queue = await api<QueueEntry[]>("/v1/dlq/investigation-queue?limit=50");
			return table(
				["priority", "reason", "task", "state then → now", "minutes in DLQ"],
				queue.map((q) => [
					q.priority_score,
					q.dlq_reason,
					taskLink(q.task_uuid, `${q.namespace_name ?? ""}/${q.task_name ?? ""}`),
					`${q.original_state} → ${q.current_state ?? "?"}`,
					q.minutes_in_dlq,
				]),
				true,
			);
		}),
		fill("#dlq-entries", async () => {
			const list = await api<{ entries: Array<Record<string, unknown>>; total_count: number }>(
				"/v1/dlq?limit=50",
			);
			const entries = table(
				["when", "reason", "task", "resolution"],
				list.entries.map((e) => [
					e.dlq_timestamp,
					e.dlq_reason,
					taskLink(String(e.task_uuid), `${e.namespace}/${e.task_name}`),
					e.resolution_status,
				]),
				true,
			);
			return `${entries}<p class="muted">${list.total_count} entries</p>`;
		}),
	]);
}

export function taskLink(uuid: string, label: string): { html: string } {
	return { html: `<a href="/ui/tasks/${esc(uuid)}">${esc(label)}</a>` };
}

export function table(head: string[], rows: unknown[][], raw = false): string {
	const cell = (v: unknown) =>
		raw && v && typeof v === "object" && "html" in v ? (v as { html: string }).html : esc(v);
	return `<table class="list"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${
		rows.length === 0
			? `<tr><td colspan="${head.length}" class="muted">None.</td></tr>`
			: rows.map((r) => `<tr>${r.map((v) => `<td>${cell(v)}</td>`).join("")}</tr>`).join("")
	}</tbody></table>`;
}
