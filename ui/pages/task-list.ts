// The task list: the list API's filters (in the URL, so a view is a link) and its pagination.
import { api } from "../api";
import { ago, duration, errorBox, esc } from "../dom";
import { badge, TASK_STATES } from "../states";

interface TaskSummary {
	task_uuid: string;
	name: string;
	namespace: string;
	version: string;
	status: string;
	initiator: string;
	source_system: string;
	created_at: string;
	completed_at: string | null;
}

interface TaskList {
	tasks: TaskSummary[];
	pagination: {
		page: number;
		per_page: number;
		total_count: number;
		total_pages: number;
		has_next: boolean;
		has_previous: boolean;
	};
}

const FILTERS = ["namespace", "status", "initiator", "source_system"] as const;

export async function taskListPage(root: HTMLElement): Promise<void> {
	const params = new URLSearchParams(location.search);
	const query = new URLSearchParams();
	for (const key of [...FILTERS, "page", "per_page"]) {
		const v = params.get(key);
		if (v) query.set(key, v);
	}
	root.innerHTML = `<h1>Tasks</h1>
<form class="filters" data-testid="task-filters">
	<label>Namespace <input name="namespace" value="${esc(params.get("namespace"))}"></label>
	<label>Status <select name="status"><option value="">any</option>${TASK_STATES.map((s) => `<option ${params.get("status") === s ? "selected" : ""}>${s}</option>`).join("")}</select></label>
	<label>Initiator <input name="initiator" value="${esc(params.get("initiator"))}"></label>
	<label>Source system <input name="source_system" value="${esc(params.get("source_system"))}"></label>
	<button type="submit">Filter</button>
</form>
<div id="task-table">Loading…</div>`;
	root.querySelector("form")?.addEventListener("submit", (event) => {
		event.preventDefault();
		const form = new FormData(event.target as HTMLFormElement);
		const next = new URLSearchParams();
		for (const key of FILTERS) {
			const v = String(form.get(key) ?? "").trim();
			if (v) next.set(key, v);
		}
		location.search = next.toString();
	});
	const table = root.querySelector("#task-table") as HTMLElement;
	try {
		const list = await api<TaskList>(`/v1/tasks?${query}`);
		const now = Date.now();
		const rows = list.tasks
			.map((t) => {
				const end = t.completed_at ? Date.parse(t.completed_at) : now;
				return `<tr data-task="${t.task_uuid}">
<td><a href="/ui/tasks/${t.task_uuid}"><code>${t.task_uuid.slice(0, 8)}…${t.task_uuid.slice(-4)}</code></a></td>
<td>${esc(t.namespace)}/${esc(t.name)}@${esc(t.version)}</td><td>${badge(t.status)}</td>
<td>${esc(t.initiator)}</td><td title="${esc(t.created_at)}">${ago(t.created_at, now)} ago</td>
<td>${t.completed_at ? "" : "running "}${duration(end - Date.parse(t.created_at))}</td></tr>`;
			})
			.join("");
		const p = list.pagination;
		const link = (page: number) => {
			const q = new URLSearchParams(params);
			q.set("page", String(page));
			return `?${q}`;
		};
		table.innerHTML = `<table class="list"><thead><tr><th>Task</th><th>Template</th><th>Status</th><th>Initiator</th><th>Age</th><th>Duration</th></tr></thead>
<tbody>${rows || `<tr><td colspan="6" class="muted">No task matches.</td></tr>`}</tbody></table>
<nav class="pager">${p.has_previous ? `<a href="${link(p.page - 1)}">← newer</a>` : ""} page ${p.page} of ${Math.max(1, p.total_pages)} (${p.total_count} tasks) ${p.has_next ? `<a href="${link(p.page + 1)}">older →</a>` : ""}</nav>`;
	} catch (error) {
		table.innerHTML = errorBox(error);
	}
}
