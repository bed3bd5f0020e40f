// Analytics over a time window (from the index: rates, durations and percentiles, throughput, the
// slowest steps and templates) and the running tasks against their staleness thresholds.
import { api } from "../api";
import { errorBox, esc } from "../dom";
import { badge } from "../states";
import { table, taskLink } from "./dlq";

export async function analyticsPage(root: HTMLElement): Promise<void> {
	const hours = new URLSearchParams(location.search).get("hours") ?? "24";
	root.innerHTML = `<h1>Analytics <small>last <form class="inline"><input name="hours" size="3" value="${esc(hours)}"> hours (0: all time)</form></small></h1>
<section><h2>Performance</h2><div id="performance" data-testid="performance">Loading…</div></section>
<section><h2>Slowest steps</h2><div id="slow-steps">Loading…</div></section>
<section><h2>Slowest templates</h2><div id="slow-tasks">Loading…</div></section>
<section><h2>Recommendations</h2><div id="recommendations"></div></section>`;
	try {
		const [p, b] = await Promise.all([
			api<
				Record<string, unknown> & {
					task_duration_percentiles: Record<string, number | null>;
					step_duration_percentiles: Record<string, number | null>;
				}
			>(`/v1/analytics/performance?hours=${encodeURIComponent(hours)}`),
			api<{
				slow_steps: Array<Record<string, unknown>>;
				slow_tasks: Array<Record<string, unknown>>;
				recommendations: string[];
			}>(`/v1/analytics/bottlenecks?hours=${encodeURIComponent(hours)}&min_executions=1`),
		]);
		const pct = (x: Record<string, number | null>) =>
			`p50 ${x.p50 ?? "–"} s · p95 ${x.p95 ?? "–"} s · p99 ${x.p99 ?? "–"} s`;
		(root.querySelector("#performance") as HTMLElement).innerHTML = `<dl class="figures">
<dt>Tasks</dt><dd>${p.total_tasks} in all, ${p.active_tasks} active</dd>
<dt>Completed / failed (window)</dt><dd>${p.completed_tasks} / ${p.failed_tasks}</dd>
<dt>Completion rate</dt><dd>${p.completion_rate}%</dd><dt>Error rate</dt><dd>${p.error_rate}%</dd>
<dt>Task duration</dt><dd>mean ${p.average_task_duration_seconds} s · ${pct(p.task_duration_percentiles)}</dd>
<dt>Step duration</dt><dd>mean ${p.average_step_duration_seconds} s · ${pct(p.step_duration_percentiles)}</dd>
<dt>Step attempts</dt><dd>${p.step_executions} · error rate ${p.step_error_rate} · retry rate ${p.step_retry_rate}</dd>
<dt>Throughput</dt><dd>${p.tasks_per_hour} tasks/h · ${p.steps_per_hour} steps/h</dd>
<dt>Health score</dt><dd>${p.system_health_score}</dd></dl>`;
		(root.querySelector("#slow-steps") as HTMLElement).innerHTML = table(
			["step", "mean s", "p95 s", "max s", "runs", "errors", "error rate", "retries"],
			b.slow_steps.map((s) => [
				`${s.namespace_name}/${s.task_name}@${s.version}::${s.step_name}`,
				s.average_duration_seconds,
				s.p95_duration_seconds,
				s.max_duration_seconds,
				s.execution_count,
				s.error_count,
				s.error_rate,
				s.retry_count,
			]),
		);
		(root.querySelector("#slow-tasks") as HTMLElement).innerHTML = table(
			["template", "mean s", "p95 s", "max s", "tasks", "steps each", "errors", "error rate"],
			b.slow_tasks.map((t) => [
				`${t.namespace_name}/${t.task_name}@${t.version}`,
				t.average_duration_seconds,
				t.p95_duration_seconds,
				t.max_duration_seconds,
				t.execution_count,
				t.average_step_count,
				t.error_count,
				t.error_rate,
			]),
		);
		(root.querySelector("#recommendations") as HTMLElement).innerHTML =
			b.recommendations.length === 0
				? `<p class="muted">None.</p>`
				: `<ul>${b.recommendations.map((r) => `<li>${esc(r)}</li>`).join("")}</ul>`;
	} catch (error) {
		(root.querySelector("#performance") as HTMLElement).innerHTML = errorBox(error);
	}
}

export async function stalenessPage(root: HTMLElement): Promise<void> {
	root.innerHTML = `<h1>Staleness</h1><p class="muted">Tasks waiting or in process, against the threshold of their status (warning from 80%).</p><div id="staleness" data-testid="staleness">Loading…</div>`;
	const el = root.querySelector("#staleness") as HTMLElement;
	try {
		const rows = await api<Array<Record<string, unknown>>>("/v1/dlq/staleness?limit=200");
		el.innerHTML = table(
			["health", "task", "status", "minutes in status", "threshold", "age (min)"],
			rows.map((r) => [
				{ html: badge(String(r.health_status)) },
				taskLink(String(r.task_uuid), `${r.namespace_name}/${r.task_name}`),
				r.current_state,
				r.time_in_state_minutes,
				r.staleness_threshold_minutes,
				r.task_age_minutes,
			]),
			true,
		);
	} catch (error) {
		el.innerHTML = errorBox(error);
	}
}
