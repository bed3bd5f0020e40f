// A DAG laid out once per page with dagre (a maintained layered-layout library): live events only
// recolour what is drawn. Wide fan-outs are collapsed first: steps with the very same parents and the
// very same children (a batch, a map over items) become one node with a count and a state bar, so
// that a 1,000-step fan-out is a three-node graph that lays out in milliseconds; the step table lists
// every step.
import { Graph, layout } from "@dagrejs/dagre";

export interface GraphStep {
	id: string;
	name: string;
	dependencies: string[];
	/** decision, batchable, batch_worker, deferred… when the template marks the step (type / step_type). */
	kind?: string | null;
}

export interface LaidNode {
	id: string;
	label: string;
	/** The step ids this node stands for: one, or a collapsed group's. */
	members: string[];
	kind: string | null;
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface LaidEdge {
	from: string;
	to: string;
	points: Array<{ x: number; y: number }>;
}

export interface Layout {
	nodes: LaidNode[];
	edges: LaidEdge[];
	width: number;
	height: number;
}

/** More siblings than this with the same parents and children are drawn as one node. */
export const COLLAPSE_ABOVE = 12;
const NODE_HEIGHT = 44;

export function layoutDag(steps: readonly GraphStep[]): Layout {
	const byName = new Map(steps.map((s) => [s.name, s]));
	const children = new Map<string, string[]>();
	for (const s of steps) {
		for (const d of s.dependencies) children.set(d, [...(children.get(d) ?? []), s.name]);
	}
	// Group by (parents, children): members of a big group share one node.
	const groups = new Map<string, GraphStep[]>();
	for (const s of steps) {
		const key = `${[...s.dependencies].sort().join(",")}|${[...(children.get(s.name) ?? [])].sort().join(",")}|${s.kind ?? ""}`;
		groups.set(key, [...(groups.get(key) ?? []), s]);
	}
	const nodeOf = new Map<string, string>();
	const nodes: LaidNode[] = [];
	for (const members of groups.values()) {
		if (members.length > COLLAPSE_ABOVE) {
			const first = members[0] as GraphStep;
			const id = `group:${first.name}`;
			const label = `${commonStem(members.map((m) => m.name))}* ×${members.length}`;
			for (const m of members) nodeOf.set(m.name, id);
			nodes.push(node(id, label, members, first.kind ?? null));
		} else {
			for (const m of members) {
				nodeOf.set(m.name, m.name);
				nodes.push(node(m.name, m.name, [m], m.kind ?? null));
			}
		}
	}
	const g = new Graph();
	g.setGraph({ rankdir: "LR", nodesep: 18, ranksep: 56, marginx: 8, marginy: 8 });
	g.setDefaultEdgeLabel(() => ({}));
	for (const n of nodes) g.setNode(n.id, { width: n.width, height: n.height });
	const edgeKeys = new Set<string>();
	for (const s of steps) {
		for (const d of s.dependencies) {
			if (!byName.has(d)) continue;
			const from = nodeOf.get(d) as string;
			const to = nodeOf.get(s.name) as string;
			const key = `${from}\u0000${to}`;
			if (from === to || edgeKeys.has(key)) continue;
			edgeKeys.add(key);
			g.setEdge(from, to);
		}
	}
	layout(g);
	for (const n of nodes) {
		const placed = g.node(n.id) as { x: number; y: number };
		n.x = placed.x;
		n.y = placed.y;
	}
	const edges = g.edges().map((e) => ({
		from: e.v,
		to: e.w,
		points: ((g.edge(e) as { points?: Array<{ x: number; y: number }> }).points ?? []).map((p) => ({
			x: p.x,
			y: p.y,
		})),
	}));
	const size = g.graph() as { width?: number; height?: number };
	return { nodes, edges, width: size.width ?? 0, height: size.height ?? 0 };
}

function node(id: string, label: string, members: GraphStep[], kind: string | null): LaidNode {
	const text = kind ? `${label} ${kind}` : label;
	return {
		id,
		label,
		members: members.map((m) => m.id),
		kind,
		x: 0,
		y: 0,
		width: Math.max(110, Math.min(260, 26 + text.length * 7.2)),
		height: members.length > 1 ? NODE_HEIGHT + 10 : NODE_HEIGHT,
	};
}

/** `leaf_0…leaf_999` → `leaf_`. */
function commonStem(names: readonly string[]): string {
	let stem = names[0] ?? "";
	for (const n of names) {
		while (!n.startsWith(stem)) stem = stem.slice(0, -1);
	}
	return stem;
}
