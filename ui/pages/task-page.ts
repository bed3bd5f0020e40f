// One task, live: its DAG (laid out once, repainted on each event), its steps, a Gantt of their
// attempts, and a step's details and actions on click. Fed by the task's stream (a WebSocket held by
// the task object: a snapshot, then each change as it is saved); if the stream cannot be had, it falls
// back to reading the task every 2 s and says so.
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

interface StepView {
	step_uuid: string;
	name: string;
	handler: string;
	dependencies: string[];
	current_state: string;
	attempts: number;
	max_attempts: number;
	retryable: boolean;
	results: unknown;
	last_error: unknown;
	next_retry_at: string | null;
	last_attempted_at: string | null;
	completed_at: string | null;
	/** While the step waits: for what and until when (null otherwise). */
	wait?: { kind: "event" | "sleep"; event_name: string | null; deadline_at: string | null } | null;
}

interface StreamMessage {
	type: "snapshot" | "update";
	seq: number;
	task: TaskView;
	steps?: StepView[];
	transitions?: Transition[];
}

interface TemplateStep {
	name: string;
	type?: string;
	step_type?: string;
	handler?: { initialization?: unknown };
}

const TERMINAL = new Set(["complete", "error", "cancelled"]);

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
	private readonly steps = new Map<string, StepView>();
	private order: string[] = [];
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
		const socket = new WebSocket(streamUrl(this.taskUuid));
		this.socket = socket;
		socket.onmessage = (event) => {
			this.failures = 0;
			this.apply(JSON.parse(String(event.data)) as StreamMessage);
		};
		socket.onopen = () => this.setLive("live");
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
					api<StepView[]>(`/v1/tasks/${this.taskUuid}/workflow_steps`),
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
		for (const s of message.steps ?? []) this.steps.set(s.step_uuid, s);
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
		// When the page first showed the whole task, from navigation start (the browser test reads it).
		document.body.dataset.firstRenderMs ??= String(Math.round(performance.now()));
		$("#gantt", this.root).innerHTML = renderGantt(this.transitions, this.order, now);
		if (this.selected) this.renderPanel(this.selected);
	}

	private renderTable(): void {
		const rows = this.order
			.map((id) => {
				const s = this.steps.get(id);
				if (!s) return "";
				const error = s.last_error as { message?: string } | null;
				return `<tr data-step="${s.step_uuid}" data-step-name="${esc(s.name)}" data-state="${s.current_state}" tabindex="0">
<td>${esc(s.name)}</td><td>${badge(s.current_state)}</td><td>${s.attempts}/${s.max_attempts}</td><td class="err">${esc(error?.message ?? "")}</td></tr>`;
			})
			.join("");
		$("#step-table", this.root).innerHTML =
			`<table class="list" data-testid="step-table" data-count="${this.order.length}">
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
				.filter((s): s is StepView => s !== undefined);
			const pick =
				members.find((s) => s.current_state === "error") ??
				members.find((s) => s.current_state !== "complete") ??
				members[0];
			if (pick) this.select(pick.step_uuid);
		}
	}

	private select(stepUuid: string): void {
		this.selected = stepUuid;
		this.renderPanel(stepUuid);
		for (const el of this.root.querySelectorAll("[data-step].selected")) el.classList.remove("selected");
		this.root.querySelector(`[data-step="${stepUuid}"]`)?.classList.add("selected");
	}

	private renderPanel(stepUuid: string): void {
		const s = this.steps.get(stepUuid);
		const panel = $("#step-panel", this.root);
		if (!s || !this.task) return;
		// Keep what the operator is typing: the panel re-renders on every event.
		if (panel.contains(document.activeElement) && panel.getAttribute("data-for") === stepUuid) {
			const state = panel.querySelector("[data-testid=step-state]");
			if (state) state.innerHTML = badge(s.current_state);
			return;
		}
		panel.setAttribute("data-for", stepUuid);
		const byName = new Map([...this.steps.values()].map((x) => [x.name, x]));
		const dependencyResults = Object.fromEntries(
			s.dependencies.map((d) => [d, byName.get(d)?.results ?? null]),
		);
		const audit = this.transitions.filter((t) => t.workflow_step_uuid === stepUuid);
		const initialization = this.template?.get(s.name)?.handler?.initialization ?? null;
		const retries = audit.filter((t) => t.to_state === "waiting_for_retry" || t.to_state === "error");
		panel.innerHTML = `<h2 data-testid="step-name">${esc(s.name)}</h2>
<p><span data-testid="step-state">${badge(s.current_state)}</span> · handler <code>${esc(s.handler)}</code> · attempt ${s.attempts} of ${s.max_attempts}${s.retryable ? "" : " · not retryable"}${s.next_retry_at ? ` · next retry ${esc(s.next_retry_at)}` : ""}</p>
${waitLine(s)}
${s.last_error ? `<h3>Error</h3><div data-testid="step-error">${json(s.last_error)}</div>` : ""}
${s.wait?.kind === "event" && s.wait.event_name ? this.sendEventForm(s.wait.event_name) : ""}
${s.results ? `<h3>Results</h3>${json(s.results)}` : ""}
<details><summary>Inputs: task context, handler initialization, dependency results</summary>
<h4>Context</h4>${json(this.task.context)}<h4>Initialization</h4>${json(initialization)}<h4>Dependency results</h4>${json(dependencyResults)}</details>
<details ${retries.length > 0 ? "open" : ""}><summary>Retries: ${retries.length} failed attempt(s)</summary>${retries.map((t) => `<p>attempt ${t.attempt}: ${esc(t.to_state)} at ${esc(t.recorded_at)}</p>${json(t.metadata.error ?? t.metadata)}`).join("")}</details>
<details><summary>Audit: ${audit.length} transition(s)</summary><table class="list"><tbody>${audit.map((t) => `<tr><td>${esc(t.recorded_at)}</td><td>${esc(t.from_state ?? "")} → ${esc(t.to_state)}</td><td>${t.attempt ?? ""}</td></tr>`).join("")}</tbody></table></details>
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
function waitLine(s: StepView): string {
	if (!s.wait) return "";
	const until = s.wait.deadline_at ? esc(s.wait.deadline_at) : "?";
	return s.wait.kind === "sleep"
		? `<p data-testid="step-wait">Sleeping until ${until}</p>`
		: `<p data-testid="step-wait">Waiting for event <code>${esc(s.wait.event_name ?? "")}</code> until ${until} (then it times out)</p>`;
}
