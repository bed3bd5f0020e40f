// One task, live: its DAG (laid out once, repainted on each event), its steps, a Gantt of their
// attempts, and a step's details and actions on click. Fed by the task's stream in its `graph` view (a
// WebSocket held by the task object: a snapshot of each step's place and state, then each change as it
// is saved), so that the first paint of a 1,000-step task is cheap; a step's results, inputs, error and
// audit are read when it is clicked. If the stream cannot be had, it falls back to reading the task
// every 2 s and says so.
import { ApiError, api, lacking, streamUrl } from "../api";
import { $, ago, duration, errorBox, esc, json } from "../dom";
import { renderGantt, type Transition } from "../gantt";
import { paintGraph, renderGraph } from "../graph";
import { type Layout, layoutDag } from "../layout";
import { badge } from "../states";

interface TaskView {
	task_uuid: string;
	name: string;
	namespace: string;
	version: string;
	status: string;
	context: Record<string, unknown>;
	initiator: string;
	source_system: string;
	reason: string;
	total_steps: number;
	completion_percentage: number;
	created_at: string;
	completed_at: string | null;
}

/** A step as the stream's `graph` view carries it (the REST reads carry more, which is ignored). */
interface GraphStep {
	step_uuid: string;
	name: string;
	dependencies: string[];
	current_state: string;
	attempts: number;
	max_attempts: number;
	error_message?: string | null;
	last_error?: unknown;
}

/** A step as GET …/workflow_steps/{step_uuid} answers it: read when the step is clicked. */
interface StepDetail extends GraphStep {
	handler: string;
	retryable: boolean;
	results: unknown;
	last_error: unknown;
	next_retry_at: string | null;
	/** While the step waits: for what and until when (null otherwise). */
	wait?: { kind: "event" | "sleep"; event_name: string | null; deadline_at: string | null } | null;
}

interface StepDetails {
	step: StepDetail;
	audit: Transition[];
	/** The results of its dependencies, by name; null when there are too many to read one by one. */
	dependencyResults: Record<string, unknown> | null;
}

/** Rows of the step table on one page. */
const TABLE_PAGE_ROWS = 100;

/** A step with more dependencies than this (a fan-in) does not have them read on click. */
const MAX_DEPENDENCY_READS = 20;

interface StreamMessage {
	type: "snapshot" | "update";
	seq: number;
	task: TaskView;
	steps?: GraphStep[];
	transitions?: Transition[];
}

interface TemplateStep {
	name: string;
	type?: string;
	step_type?: string;
	handler?: { initialization?: unknown };
}

const TERMINAL = new Set(["complete", "error", "cancelled"]);

/** The socket the page's HTML opened before this script loaded (src/http/ui/mount-dashboard.ts). */
interface EarlyStream {
	uuid: string;
	socket: WebSocket;
	messages: unknown[];
	opened: boolean;
	closed: boolean;
}

/** Takes over the HTML's early socket for this task, once; null when there is none still open. */
function adoptEarlyStream(taskUuid: string): EarlyStream | null {
	const holder = window as unknown as { taskerEarlyStream?: EarlyStream };
	const early = holder.taskerEarlyStream;
	holder.taskerEarlyStream = undefined;
	if (!early || early.uuid !== taskUuid || early.closed) {
		early?.socket.close();
		return null;
	}
	return early;
}

export async function taskPage(root: HTMLElement, taskUuid: string): Promise<void> {
	root.innerHTML = `<div id="task-head" data-testid="task-head">Loading…</div><div id="cancel-form"></div>
<section><h2>Steps <span id="live" class="live" data-testid="live">connecting…</span></h2><div id="graph" class="graph-box"></div></section>
<div class="split"><section class="steps"><div id="step-table"></div></section><aside id="step-panel" class="panel" data-testid="step-panel"><p class="muted">Click a step to see its inputs, results, errors, retries and audit.</p></aside></div>
<section><h2>Timeline</h2><div id="gantt"></div></section>`;
	const view = new TaskPageView(root, taskUuid);
	view.start();
}

class TaskPageView {
	private task: TaskView | null = null;
	private readonly steps = new Map<string, GraphStep>();
	/** The selected step's details, read on click and again when it moves. */
	private details: StepDetails | null = null;
	private order: string[] = [];
	/** Whether the first render has been drawn (the timeline follows it). */
	private painted = false;
	/** The step table's page (TABLE_PAGE_ROWS rows each). */
	private tablePage = 0;
	private transitions: Transition[] = [];
	private seq = 0;
	private layout: Layout | null = null;
	private template: Map<string, TemplateStep> | null = null;
	private selected: string | null = null;
	private renderTimer: ReturnType<typeof setTimeout> | null = null;
	private socket: WebSocket | null = null;
	private failures = 0;
	private polling: ReturnType<typeof setInterval> | null = null;

	constructor(
		private readonly root: HTMLElement,
		private readonly taskUuid: string,
	) {}

	start(): void {
		this.connect();
		this.root.addEventListener("click", (event) => this.onClick(event));
		this.root.addEventListener("keydown", (event) => {
			if ((event as KeyboardEvent).key === "Enter") this.onClick(event);
		});
	}

	private connect(): void {
		const early = adoptEarlyStream(this.taskUuid);
		// When the page asked for the stream and when it opened, from navigation start (the browser test prints them).
		document.body.dataset.streamAskedAtMs ??=
			document.documentElement.dataset.streamAskedAtMs ?? String(Math.round(performance.now()));
		const socket = early?.socket ?? new WebSocket(streamUrl(this.taskUuid, "graph"));
		this.socket = socket;
		const opened = () => {
			document.body.dataset.streamOpenAtMs ??= String(Math.round(performance.now()));
			this.setLive("live");
		};
		socket.onmessage = (event) => {
			this.failures = 0;
			this.apply(JSON.parse(String(event.data)) as StreamMessage);
		};
		socket.onopen = opened;
		if (early) {
			if (early.opened) opened();
			for (const data of early.messages) this.apply(JSON.parse(String(data)) as StreamMessage);
		}
		socket.onclose = () => {
			if (this.socket !== socket) return;
			this.failures += 1;
			if (this.failures >= 3) {
				this.fallBackToPolling();
				return;
			}
			this.setLive("reconnecting…");
			// A deploy or a host move closes the socket: reconnect, and the snapshot resyncs.
			setTimeout(() => this.connect(), 500 * this.failures);
		};
	}

	private fallBackToPolling(): void {
		if (this.polling) return;
		this.setLive("stream unavailable: reading every 2 s");
		const read = async () => {
			try {
				const [task, steps, transitions] = await Promise.all([
					api<TaskView>(`/v1/tasks/${this.taskUuid}`),
					api<GraphStep[]>(`/v1/tasks/${this.taskUuid}/workflow_steps`),
					api<Transition[]>(`/v1/tasks/${this.taskUuid}/audit`),
				]);
				this.apply({ type: "snapshot", seq: 0, task, steps, transitions });
				if (TERMINAL.has(task.status) && this.polling) clearInterval(this.polling);
			} catch (error) {
				$("#task-head", this.root).innerHTML = errorBox(error);
			}
		};
		void read();
		this.polling = setInterval(read, 2000);
	}

	private setLive(text: string): void {
		const el = this.root.querySelector("#live");
		if (el) el.textContent = text;
	}

	private apply(message: StreamMessage): void {
		// When the task's first snapshot arrived, from navigation start (the browser test reads it).
		document.body.dataset.snapshotAtMs ??= String(Math.round(performance.now()));
		if (message.type === "snapshot") {
			this.steps.clear();
			this.transitions = [];
			this.seq = 0;
		} else if (message.seq <= this.seq) {
			return;
		}
		this.task = message.task;
		for (const s of message.steps ?? []) {
			const before = this.steps.get(s.step_uuid);
			this.steps.set(s.step_uuid, s);
			if (
				s.step_uuid === this.selected &&
				(before?.current_state !== s.current_state || before.attempts !== s.attempts)
			)
				void this.loadDetails(s.step_uuid);
		}
		if (message.type === "snapshot") {
			this.order = [...this.steps.keys()];
			this.transitions = message.transitions ?? [];
		} else {
			this.transitions.push(...(message.transitions ?? []));
		}
		this.seq = message.seq;
		if (!this.layout && this.steps.size > 0) this.drawGraph();
		this.scheduleRender();
	}

	private drawGraph(): void {
		const steps = [...this.steps.values()];
		const byName = new Map(steps.map((s) => [s.name, s]));
		this.layout = layoutDag(
			steps.map((s) => ({
				id: s.step_uuid,
				name: s.name,
				dependencies: s.dependencies.filter((d) => byName.has(d)),
				kind: this.kindOf(s.name),
			})),
		);
		$("#graph", this.root).innerHTML = renderGraph(this.layout);
		void this.loadTemplate();
	}

	private kindOf(name: string): string | null {
		const step = this.template?.get(name);
		const kind = step?.type ?? step?.step_type ?? null;
		return kind && kind !== "standard" ? kind : null;
	}

	/** The template gives each step's handler initialization (an input) and its kind, when it has one. */
	private async loadTemplate(): Promise<void> {
		if (this.template || !this.task) return;
		try {
			const t = await api<{ steps: TemplateStep[] }>(
				`/v1/templates/${this.task.namespace}/${this.task.name}/${this.task.version}`,
			);
			this.template = new Map(t.steps.map((s) => [s.name, s]));
			if ([...this.template.values()].some((s) => (s.type ?? s.step_type ?? "standard") !== "standard")) {
				this.layout = null;
				this.drawGraph();
				this.scheduleRender();
			}
		} catch {
			this.template = new Map();
		}
	}

	private scheduleRender(): void {
		if (this.renderTimer !== null) return;
		// Coalesced: a burst of events (a wide fan-out) repaints once.
		this.renderTimer = setTimeout(() => {
			this.renderTimer = null;
			this.render();
		}, 30);
	}

	private render(): void {
		const task = this.task;
		if (!task) return;
		const now = Date.now();
		const end = task.completed_at ? Date.parse(task.completed_at) : now;
		const canCancel = !TERMINAL.has(task.status);
		$("#task-head", this.root).innerHTML =
			`<h1>${esc(task.name)} <small>${esc(task.namespace)} · v${esc(task.version)}</small></h1>
<p>${badge(task.status)} <span data-testid="task-status">${esc(task.status)}</span> · ${task.completion_percentage}% of ${task.total_steps} steps ·
created ${ago(task.created_at, now)} ago · ${task.completed_at ? "took" : "running for"} ${duration(end - Date.parse(task.created_at))}</p>
<p class="muted"><code>${task.task_uuid}</code> · initiator ${esc(task.initiator)} · ${esc(task.source_system)} · ${esc(task.reason)}</p>
${canCancel ? this.actionButton("cancel-task", "Cancel task", "tasks:cancel") : ""}`;
		if (this.layout)
			paintGraph(
				$("#graph svg", this.root),
				this.layout,
				(id) => this.steps.get(id)?.current_state ?? "pending",
			);
		this.renderTable();
		if (this.selected) this.renderPanel(this.selected);
		if (this.painted) {
			$("#gantt", this.root).innerHTML = renderGantt(this.transitions, this.order, now);
			return;
		}
		// The first time, the head, graph and table are painted before the timeline is built: when that
		// frame is drawn is the page's first render, from navigation start (the browser test reads it).
		this.painted = true;
		requestAnimationFrame(() => {
			document.body.dataset.firstRenderMs ??= String(Math.round(performance.now()));
			setTimeout(() => {
				$("#gantt", this.root).innerHTML = renderGantt(this.transitions, this.order, Date.now());
			}, 0);
		});
	}

	private renderTable(): void {
		// Paged: a 1,000-step task's table is 100 rows to build and lay out on each repaint, not 1,000.
		const pages = Math.max(1, Math.ceil(this.order.length / TABLE_PAGE_ROWS));
		this.tablePage = Math.min(this.tablePage, pages - 1);
		const first = this.tablePage * TABLE_PAGE_ROWS;
		const shown = this.order.slice(first, first + TABLE_PAGE_ROWS);
		const rows = shown
			.map((id) => {
				const s = this.steps.get(id);
				if (!s) return "";
				const message = s.error_message ?? (s.last_error as { message?: string } | null)?.message ?? "";
				return `<tr data-step="${s.step_uuid}" data-step-name="${esc(s.name)}" data-state="${s.current_state}" tabindex="0"${s.step_uuid === this.selected ? ' class="selected"' : ""}>
<td>${esc(s.name)}</td><td>${badge(s.current_state)}</td><td>${s.attempts}/${s.max_attempts}</td><td class="err">${esc(message)}</td></tr>`;
			})
			.join("");
		const pager =
			pages === 1
				? ""
				: `<p class="pager" data-testid="step-pager">steps ${first + 1}–${first + shown.length} of ${this.order.length}
<button data-action="steps-page" data-page="${this.tablePage - 1}" ${this.tablePage === 0 ? "disabled" : ""}>previous</button>
<button data-action="steps-page" data-page="${this.tablePage + 1}" ${this.tablePage === pages - 1 ? "disabled" : ""}>next</button></p>`;
		$("#step-table", this.root).innerHTML =
			`${pager}<table class="list" data-testid="step-table" data-count="${this.order.length}">
<thead><tr><th>Step</th><th>State</th><th>Attempts</th><th>Last error</th></tr></thead><tbody>${rows}</tbody></table>`;
	}

	private actionButton(action: string, label: string, permission: string): string {
		const denied = lacking.has(permission);
		return `<button data-action="${action}" ${denied ? `disabled title="Your credentials lack ${permission}"` : ""}>${label}</button>${denied ? ` <span class="denied">not allowed: needs ${permission}</span>` : ""}`;
	}

	private onClick(event: Event): void {
		const target = event.target as Element;
		const action = target.closest("[data-action]")?.getAttribute("data-action");
		if (action) {
			void this.act(action, target.closest("[data-action]") as HTMLElement);
			return;
		}
		const row = target.closest("[data-step]");
		if (row) {
			this.select(row.getAttribute("data-step") as string);
			return;
		}
		const node = target.closest("[data-node]");
		if (node && this.layout) {
			const laid = this.layout.nodes.find((n) => n.id === node.getAttribute("data-node"));
			if (!laid) return;
			// A group opens its most pressing member: its first failure, else its first unfinished step.
			const members = laid.members
				.map((id) => this.steps.get(id))
				.filter((s): s is GraphStep => s !== undefined);
			const pick =
				members.find((s) => s.current_state === "error") ??
				members.find((s) => s.current_state !== "complete") ??
				members[0];
			if (pick) this.select(pick.step_uuid);
		}
	}

	private select(stepUuid: string): void {
		this.selected = stepUuid;
		this.details = null;
		this.renderPanel(stepUuid);
		void this.loadDetails(stepUuid);
		for (const el of this.root.querySelectorAll("[data-step].selected")) el.classList.remove("selected");
		this.root.querySelector(`[data-step="${stepUuid}"]`)?.classList.add("selected");
	}

	/** The step's details, its audit and its dependencies' results: read on click, not streamed. */
	private async loadDetails(stepUuid: string): Promise<void> {
		const base = `/v1/tasks/${this.taskUuid}/workflow_steps`;
		try {
			const [step, audit] = await Promise.all([
				api<StepDetail>(`${base}/${stepUuid}`),
				api<Transition[]>(`${base}/${stepUuid}/audit`),
			]);
			const byName = new Map([...this.steps.values()].map((x) => [x.name, x.step_uuid]));
			const dependencies = step.dependencies.filter((d) => byName.has(d));
			const dependencyResults =
				dependencies.length > MAX_DEPENDENCY_READS
					? null
					: Object.fromEntries(
							await Promise.all(
								dependencies.map(async (d) => {
									const dep = await api<StepDetail>(`${base}/${byName.get(d)}`);
									return [d, dep.results ?? null] as const;
								}),
							),
						);
			if (this.selected !== stepUuid) return;
			this.details = { step, audit, dependencyResults };
			this.renderPanel(stepUuid, true);
		} catch (error) {
			if (this.selected === stepUuid) $("#step-panel", this.root).innerHTML = errorBox(error);
		}
	}

	private renderPanel(stepUuid: string, fresh = false): void {
		const s = this.steps.get(stepUuid);
		const panel = $("#step-panel", this.root);
		if (!s || !this.task) return;
		// Keep what the operator is typing: the panel re-renders on every event.
		if (panel.contains(document.activeElement) && panel.getAttribute("data-for") === stepUuid) {
			const state = panel.querySelector("[data-testid=step-state]");
			if (state) state.innerHTML = badge(s.current_state);
			return;
		}
		// Once its details are in, an event only repaints the state; they are read again when the step moves.
		if (!fresh && panel.getAttribute("data-for") === stepUuid && panel.getAttribute("data-loaded")) {
			const state = panel.querySelector("[data-testid=step-state]");
			if (state) state.innerHTML = badge(s.current_state);
			return;
		}
		panel.setAttribute("data-for", stepUuid);
		const d = this.details?.step.step_uuid === stepUuid ? this.details : null;
		if (d) panel.setAttribute("data-loaded", "1");
		else panel.removeAttribute("data-loaded");
		const detail = d?.step;
		const audit = d?.audit ?? [];
		const initialization = this.template?.get(s.name)?.handler?.initialization ?? null;
		const retries = audit.filter((t) => t.to_state === "waiting_for_retry" || t.to_state === "error");
		const dependencyResults =
			d?.dependencyResults ??
			`${s.dependencies.length} dependencies: read each one's results from its own page`;
		panel.innerHTML = `<h2 data-testid="step-name">${esc(s.name)}</h2>
<p><span data-testid="step-state">${badge(s.current_state)}</span>${detail ? ` · handler <code>${esc(detail.handler)}</code>` : ""} · attempt ${s.attempts} of ${s.max_attempts}${detail && !detail.retryable ? " · not retryable" : ""}${detail?.next_retry_at ? ` · next retry ${esc(detail.next_retry_at)}` : ""}</p>
${detail ? waitLine(detail) : ""}
${
	!d
		? `<p class="muted" data-testid="step-loading">Reading the step…</p>`
		: `${detail?.last_error ? `<h3>Error</h3><div data-testid="step-error">${json(detail.last_error)}</div>` : ""}
${detail?.wait?.kind === "event" && detail.wait.event_name ? this.sendEventForm(detail.wait.event_name) : ""}
${detail?.results ? `<h3>Results</h3>${json(detail.results)}` : ""}
<details><summary>Inputs: task context, handler initialization, dependency results</summary>
<h4>Context</h4>${json(this.task.context)}<h4>Initialization</h4>${json(initialization)}<h4>Dependency results</h4>${json(dependencyResults)}</details>
<details ${retries.length > 0 ? "open" : ""}><summary>Retries: ${retries.length} failed attempt(s)</summary>${retries.map((t) => `<p>attempt ${t.attempt}: ${esc(t.to_state)} at ${esc(t.recorded_at)}</p>${json(t.metadata?.error ?? t.metadata ?? null)}`).join("")}</details>
<details><summary>Audit: ${audit.length} transition(s)</summary><table class="list"><tbody>${audit.map((t) => `<tr><td>${esc(t.recorded_at)}</td><td>${esc(t.from_state ?? "")} → ${esc(t.to_state)}</td><td>${t.attempt ?? ""}</td></tr>`).join("")}</tbody></table></details>`
}
<h3>Manual action</h3>
<form class="step-action" data-testid="step-action">
<label>Action <select name="action_type"><option value="reset_for_retry">retry (reset for retry)</option><option value="resolve_manually">resolve manually</option><option value="complete_manually">complete manually</option></select></label>
<label>Reason <input name="reason" required placeholder="why"></label>
<label>By <input name="by" required placeholder="your name"></label>
<label>Result (complete only, JSON) <textarea name="result" rows="2">{}</textarea></label>
${this.actionButton("step-action", "Apply", "steps:resolve")}
<p class="action-result" data-testid="action-result"></p></form>`;
	}

	/** "Send event" for a step waiting for one: the same route as any sender (POST .../events). */
	private sendEventForm(eventName: string): string {
		return `<h3>Send event</h3>
<form class="send-event" data-testid="send-event">
<label>Name <input name="event_name" required value="${esc(eventName)}"></label>
<label>Payload (JSON) <textarea name="payload" rows="3">{}</textarea></label>
${this.actionButton("send-event", "Send event", "tasks:signal")}
<p class="action-result" data-testid="send-event-result"></p></form>`;
	}

	private async act(action: string, button: HTMLElement): Promise<void> {
		if (action === "steps-page") {
			this.tablePage = Math.max(0, Number(button.getAttribute("data-page")) || 0);
			this.renderTable();
			return;
		}
		if (action === "send-event") {
			const form = button.closest("form") as HTMLFormElement;
			const data = new FormData(form);
			const out = form.querySelector(".action-result") as HTMLElement;
			let payload: unknown;
			try {
				payload = JSON.parse(String(data.get("payload") ?? "{}"));
			} catch {
				out.textContent = "The payload is not valid JSON.";
				return;
			}
			try {
				const reply = await api<{ status: string; step_name: string | null }>(
					`/v1/tasks/${this.taskUuid}/events`,
					{
						method: "POST",
						headers: { "content-type": "application/json" },
						body: JSON.stringify({ name: String(data.get("event_name") ?? "").trim(), payload }),
					},
				);
				out.textContent =
					reply.status === "delivered"
						? `Delivered to ${reply.step_name ?? "its step"}.`
						: `Event ${reply.status}.`;
			} catch (error) {
				out.textContent = error instanceof ApiError ? error.message : String(error);
			}
			return;
		}
		if (action === "cancel-task") {
			const box = $("#cancel-form", this.root);
			box.innerHTML = `<p>Cancel this task? Nothing unfinished will run. <button data-action="confirm-cancel">Yes, cancel it</button></p>`;
			return;
		}
		if (action === "confirm-cancel") {
			try {
				await api(`/v1/tasks/${this.taskUuid}`, { method: "DELETE" });
				$("#cancel-form", this.root).innerHTML = `<p data-testid="cancel-result">Cancelled.</p>`;
			} catch (error) {
				$("#cancel-form", this.root).innerHTML = errorBox(error);
			}
			this.scheduleRender();
			return;
		}
		if (action === "step-action" && this.selected) {
			const form = button.closest("form") as HTMLFormElement;
			const data = new FormData(form);
			const type = String(data.get("action_type"));
			const reason = String(data.get("reason") ?? "").trim();
			const by = String(data.get("by") ?? "").trim();
			const out = form.querySelector(".action-result") as HTMLElement;
			let body: Record<string, unknown>;
			try {
				body =
					type === "reset_for_retry"
						? { action_type: type, reason, reset_by: by }
						: type === "resolve_manually"
							? { action_type: type, reason, resolved_by: by }
							: {
									action_type: type,
									reason,
									completed_by: by,
									completion_data: { result: JSON.parse(String(data.get("result") ?? "{}")) },
								};
			} catch {
				out.textContent = "The result is not valid JSON.";
				return;
			}
			try {
				await api(`/v1/tasks/${this.taskUuid}/workflow_steps/${this.selected}`, {
					method: "PATCH",
					headers: { "content-type": "application/json" },
					body: JSON.stringify(body),
				});
				out.textContent = `Done: ${type}.`;
			} catch (error) {
				out.textContent = error instanceof ApiError ? error.message : String(error);
			}
		}
	}
}

/** What a waiting step waits for, and until when. */
function waitLine(s: Pick<StepDetail, "wait">): string {
	if (!s.wait) return "";
	const until = s.wait.deadline_at ? esc(s.wait.deadline_at) : "?";
	return s.wait.kind === "sleep"
		? `<p data-testid="step-wait">Sleeping until ${until}</p>`
		: `<p data-testid="step-wait">Waiting for event <code>${esc(s.wait.event_name ?? "")}</code> until ${until} (then it times out)</p>`;
}
