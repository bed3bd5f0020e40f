// The schedule runs in Prometheus text, appended to GET /metrics: summed from the schedule index,
// where each schedule object keeps its own absolute counts (so a push retried is harmless). A deleted
// schedule's runs leave the sum: to Prometheus that is a counter reset, which rate() handles.
import type { ScheduleRunCounts } from "../schedules/schedule-index";
import { escapeLabel } from "./prometheus-text";

const RUNS = "tasker_schedule_runs_total";
const OUTCOMES = ["started", "skipped", "failed", "missed"] as const;

export function renderScheduleMetrics(rows: readonly ScheduleRunCounts[]): string {
	const lines = [
		`# HELP ${RUNS} Runs of schedules by outcome: started a task, skipped (overlap), failed to submit, or missed (catch-up).`,
		`# TYPE ${RUNS} counter`,
	];
	for (const row of rows) {
		for (const outcome of OUTCOMES) {
			const labels = `namespace="${escapeLabel(row.namespace)}",task="${escapeLabel(row.task)}",outcome="${outcome}"`;
			lines.push(`${RUNS}{${labels}} ${row[outcome]}`);
		}
	}
	return `${lines.join("\n")}\n`;
}
