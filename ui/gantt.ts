// The attempts of a task's steps on a time line, from its transition log: per attempt, the wait in
// the queue (light) and the run (coloured by how it ended). One row per step, at most MAX_ROWS.
import { duration, esc } from "./dom";
import { look } from "./states";

export interface Transition {
	transition_id: number | null;
	workflow_step_uuid: string | null;
	step_name: string | null;
	from_state: string | null;
	to_state: string;
	attempt: number | null;
	/** Absent in the stream's `graph` view; the audit read on click has it. */
	metadata?: Record<string, unknown>;
	recorded_at: string | null;
}

interface Attempt {
	attempt: number;
	queuedAt: number | null;
	startedAt: number | null;
	endedAt: number | null;
	outcome: string | null;
}

export const MAX_ROWS = 300;
const ROW = 18;
const LABEL = 160;

export function renderGantt(
	transitions: readonly Transition[],
	stepOrder: readonly string[],
	now: number,
): string {
	const rows = new Map<string, { name: string; attempts: Map<number, Attempt> }>();
	let t0 = Number.POSITIVE_INFINITY;
	let t1 = 0;
	for (const t of transitions) {
		const at = t.recorded_at ? Date.parse(t.recorded_at) : Number.NaN;
		if (!Number.isFinite(at)) continue;
		t0 = Math.min(t0, at);
		t1 = Math.max(t1, at);
		if (!t.workflow_step_uuid || t.attempt === null) continue;
		let row = rows.get(t.workflow_step_uuid);
		if (!row) {
			row = { name: t.step_name ?? "", attempts: new Map() };
			rows.set(t.workflow_step_uuid, row);
		}
		let a = row.attempts.get(t.attempt);
		if (!a) {
			a = { attempt: t.attempt, queuedAt: null, startedAt: null, endedAt: null, outcome: null };
			row.attempts.set(t.attempt, a);
		}
		if (t.to_state === "enqueued") a.queuedAt ??= at;
		// A wait is drawn as its attempt's run: it starts when the step starts waiting.
		else if (
			t.to_state === "in_progress" ||
			t.to_state === "waiting_for_event" ||
			t.to_state === "sleeping"
		) {
			a.startedAt ??= at;
			a.queuedAt ??= at;
		} else if (
			["complete", "waiting_for_retry", "error", "cancelled", "resolved_manually"].includes(t.to_state)
		) {
			a.endedAt = at;
			a.outcome = t.to_state;
		}
	}
	if (rows.size === 0) return `<p class="muted">No attempt yet.</p>`;
	const open = [...rows.values()].some((r) => [...r.attempts.values()].some((a) => a.endedAt === null));
	if (open) t1 = Math.max(t1, now);
	const span = Math.max(1, t1 - t0);
	const order = new Map(stepOrder.map((id, i) => [id, i]));
	const sorted = [...rows.entries()].sort((a, b) => (order.get(a[0]) ?? 0) - (order.get(b[0]) ?? 0));
	const shown = sorted.slice(0, MAX_ROWS);
	const width = 760;
	const scale = (ms: number) => LABEL + ((ms - t0) / span) * (width - LABEL - 10);
	const body = shown
		.map(([id, row], i) => {
			const y = i * ROW + 4;
			const bars = [...row.attempts.values()]
				.map((a) => {
					const start = a.startedAt ?? a.queuedAt;
					if (start === null) return "";
					const end = a.endedAt ?? now;
					const q = a.queuedAt !== null && a.startedAt !== null && a.startedAt > a.queuedAt;
					const outcome = a.outcome ?? "in_progress";
					const l = look(outcome);
					const title = `${row.name} attempt ${a.attempt}: ${outcome}, ran ${duration(end - start)}${q ? `, queued ${duration((a.startedAt as number) - (a.queuedAt as number))}` : ""}`;
					return `${q ? `<rect x="${scale(a.queuedAt as number).toFixed(1)}" y="${y + 4}" width="${Math.max(1, scale(a.startedAt as number) - scale(a.queuedAt as number)).toFixed(1)}" height="6" class="queued"/>` : ""}<rect x="${scale(start).toFixed(1)}" y="${y}" width="${Math.max(2, scale(end) - scale(start)).toFixed(1)}" height="14" fill="${l.fill}" stroke="${l.stroke}"><title>${esc(title)}</title></rect>`;
				})
				.join("");
			return `<g data-gantt-step="${esc(id)}"><text x="4" y="${y + 11}" class="gantt-label">${esc(row.name)}</text>${bars}</g>`;
		})
		.join("");
	const height = shown.length * ROW + 24;
	const axis = `<text x="${LABEL}" y="${height - 4}" class="gantt-axis">0</text><text x="${width - 10}" y="${height - 4}" text-anchor="end" class="gantt-axis">${esc(duration(span))}</text>`;
	const more =
		sorted.length > shown.length
			? `<p class="muted">The first ${shown.length} of ${sorted.length} steps.</p>`
			: "";
	return `<svg class="gantt" width="${width}" height="${height}" role="img" aria-label="Attempts over time">${body}${axis}</svg>${more}`;
}
