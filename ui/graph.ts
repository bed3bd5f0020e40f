// The laid-out DAG as SVG: drawn once, then repainted as states change. Each node carries its state
// as colour, icon and word (and an accessible name); a collapsed group shows a bar of its members'
// states and its counts.
import { esc } from "./dom";
import type { LaidNode, Layout } from "./layout";
import { ink, look } from "./states";

const KIND_MARK: Record<string, string> = {
	decision: "◇ decision",
	batchable: "▤ batch",
	batch_worker: "▥ batch worker",
	deferred: "⏸ deferred",
	deferred_convergence: "⏸ deferred",
};

export function renderGraph(layout: Layout): string {
	const edges = layout.edges
		.map((e) => {
			const d = e.points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
			return `<path d="${d}" class="edge" marker-end="url(#arrow)"/>`;
		})
		.join("");
	const nodes = layout.nodes.map(renderNode).join("");
	return `<svg class="dag" role="img" aria-label="The task's steps and their dependencies" width="${Math.ceil(layout.width)}" height="${Math.ceil(layout.height)}" viewBox="0 0 ${Math.ceil(layout.width)} ${Math.ceil(layout.height)}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>
${edges}${nodes}</svg>`;
}

function renderNode(n: LaidNode): string {
	const x = n.x - n.width / 2;
	const y = n.y - n.height / 2;
	const kind = n.kind ? (KIND_MARK[n.kind] ?? n.kind) : null;
	const shape =
		n.kind === "decision"
			? `<rect class="shape" x="${x}" y="${y}" width="${n.width}" height="${n.height}" rx="18"/>`
			: `<rect class="shape" x="${x}" y="${y}" width="${n.width}" height="${n.height}" rx="5"/>`;
	const group = n.members.length > 1;
	return `<g class="node" tabindex="0" role="button" data-node="${esc(n.id)}" data-step-name="${esc(n.label)}" data-state="pending" ${group ? 'data-group="true"' : ""}>
${shape}
<text class="label" x="${x + 8}" y="${y + 17}">${esc(n.label)}</text>
<text class="state" x="${x + 8}" y="${y + 34}">○ pending</text>
${kind ? `<text class="kind" x="${x + n.width - 6}" y="${y + 12}" text-anchor="end">${esc(kind)}</text>` : ""}
${group ? `<g class="bar" transform="translate(${x + 6},${y + n.height - 12})"></g>` : ""}
<title>${esc(n.label)}</title></g>`;
}

/** Recolours every node from the states of its members. */
export function paintGraph(svg: Element, layout: Layout, stateOf: (stepId: string) => string): void {
	for (const n of layout.nodes) {
		const g = svg.querySelector(`[data-node="${CSS.escape(n.id)}"]`);
		if (!g) continue;
		const states = n.members.map(stateOf);
		const counts = new Map<string, number>();
		for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
		// A group shows its most pressing state: an error before anything running, before pending, before done.
		const state = n.members.length === 1 ? (states[0] as string) : dominant(counts);
		if (g.getAttribute("data-state") === state && n.members.length === 1) continue;
		const l = look(state);
		g.setAttribute("data-state", state);
		const shape = g.querySelector(".shape") as SVGElement;
		// Inline styles: a stylesheet rule would win over presentation attributes.
		shape.style.fill = l.fill;
		shape.style.stroke = l.stroke;
		shape.style.strokeDasharray = l.dash ?? "";
		for (const t of g.querySelectorAll<SVGElement>("text")) t.style.fill = ink(state);
		const summary =
			n.members.length === 1
				? `${l.icon} ${state}`
				: [...counts].map(([s, c]) => `${look(s).icon}${c}`).join(" ");
		(g.querySelector(".state") as Element).textContent = summary;
		(g.querySelector("title") as Element).textContent =
			`${n.label}: ${n.members.length === 1 ? state : summary}`;
		g.setAttribute("aria-label", `${n.label}: ${n.members.length === 1 ? state : summary}`);
		const bar = g.querySelector(".bar");
		if (bar) {
			const width = n.width - 12;
			let offset = 0;
			bar.innerHTML = [...counts]
				.map(([s, c]) => {
					const w = (c / n.members.length) * width;
					const rect = `<rect x="${offset.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="6" fill="${look(s).fill}" stroke="${look(s).stroke}" stroke-width="0.5"/>`;
					offset += w;
					return rect;
				})
				.join("");
		}
	}
}

const ORDER = [
	"error",
	"waiting_for_retry",
	"in_progress",
	"waiting_for_event",
	"sleeping",
	"enqueued",
	"pending",
	"cancelled",
	"resolved_manually",
	"complete",
];

function dominant(counts: Map<string, number>): string {
	for (const s of ORDER) if (counts.has(s)) return s;
	return [...counts.keys()][0] ?? "pending";
}
