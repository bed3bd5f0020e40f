// A template's DAG for the terminal: steps in topological layers (a step sits one layer below its deepest
// dependency), or as a Mermaid `flowchart TD`.
import { formatTable } from "./table";

export interface GraphStep {
	name: string;
	dependencies: readonly string[];
	/** The step's type; absent or `standard` for a plain step. */
	type?: string;
}

/** How a dynamic step is marked: what creates it, or what it creates. */
const TYPE_MARKS: Record<string, string> = {
	decision: "◆ decision: creates the branches it chooses",
	deferred_convergence: "◇ deferred: waits for whichever of these exist",
	batchable: "▤ batchable: creates batch workers",
	batch_worker: "▥ batch worker template: one step per batch",
};

/** Layers of step names, first the steps without dependencies; template order within a layer. */
export function topologicalLayers(steps: readonly GraphStep[]): string[][] {
	const byName = new Map(steps.map((step) => [step.name, step]));
	const depth = new Map<string, number>();
	const visiting = new Set<string>();
	const depthOf = (name: string): number => {
		const known = depth.get(name);
		if (known !== undefined) return known;
		// The server never hands out a cyclic template; a cycle here would be a server bug, so name it.
		if (visiting.has(name)) throw new Error(`the template's steps form a cycle through ${name}`);
		visiting.add(name);
		const deps = (byName.get(name)?.dependencies ?? []).filter((dep) => byName.has(dep));
		const d = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(depthOf));
		visiting.delete(name);
		depth.set(name, d);
		return d;
	};
	const layers: string[][] = [];
	for (const step of steps) {
		const d = depthOf(step.name);
		while (layers.length <= d) layers.push([]);
		layers[d]?.push(step.name);
	}
	return layers;
}

/** One line per step, grouped by layer, each with the steps it waits for. */
export function renderLayers(steps: readonly GraphStep[]): string[] {
	const byName = new Map(steps.map((step) => [step.name, step]));
	const rows: string[][] = [];
	topologicalLayers(steps).forEach((layer, i) => {
		layer.forEach((name, j) => {
			const deps = byName.get(name)?.dependencies ?? [];
			const mark = TYPE_MARKS[byName.get(name)?.type ?? ""] ?? "";
			rows.push([
				j === 0 ? `layer ${i + 1}` : "",
				name,
				deps.length === 0 ? "" : `← ${deps.join(", ")}`,
				mark,
			]);
		});
	});
	if (rows.every((row) => row[3] === ""))
		return formatTable(
			["LAYER", "STEP", "WAITS FOR"],
			rows.map((row) => row.slice(0, 3)),
		);
	return formatTable(["LAYER", "STEP", "WAITS FOR", "TYPE"], rows);
}

/** `flowchart TD` with one `dependency --> dependent` edge each; a step with no edge is a lone node. */
export function renderMermaid(steps: readonly GraphStep[]): string[] {
	const lines = ["flowchart TD"];
	const connected = new Set<string>();
	for (const step of steps) {
		for (const dep of step.dependencies) {
			connected.add(dep);
			connected.add(step.name);
		}
	}
	// Dynamic steps get their own shapes: a decision a rhombus, a convergence step a circle, a batchable
	// step a parallelogram, a worker template a subroutine box; a deferred dependency is a dotted edge.
	const shapes: Record<string, (name: string) => string> = {
		decision: (n) => `${n}{${n}}`,
		deferred_convergence: (n) => `${n}((${n}))`,
		batchable: (n) => `${n}[/${n}/]`,
		batch_worker: (n) => `${n}[[${n}]]`,
	};
	for (const step of steps) {
		const shape = shapes[step.type ?? ""];
		if (shape) lines.push(`    ${shape(step.name)}`);
		else if (!connected.has(step.name)) lines.push(`    ${step.name}`);
	}
	for (const step of steps) {
		const arrow = step.type === "deferred_convergence" ? "-.->" : "-->";
		for (const dep of step.dependencies) lines.push(`    ${dep} ${arrow} ${step.name}`);
	}
	return lines;
}
