// The in-memory graph the task object hands step inputs from: every ancestor's result once, by name,
// whatever the shape (a diamond reaches its root by two paths), and a result cleared by a reset is gone.
import { describe, expect, it } from "vitest";
import { TaskResultGraph } from "../../durable-objects/task-result-graph";

function diamond(): TaskResultGraph {
	const graph = new TaskResultGraph();
	graph.addStep(0, "start", { value: 1 });
	graph.addStep(1, "left", { value: 2 });
	graph.addStep(2, "right", null);
	graph.addStep(3, "end", null);
	for (const [parent, child] of [
		[0, 1],
		[0, 2],
		[1, 3],
		[2, 3],
	] as const)
		graph.addEdge(parent, child);
	return graph;
}

describe("TaskResultGraph", () => {
	it("gives every ancestor that has a result, direct or transitive, once", () => {
		const graph = diamond();
		expect(graph.ancestorResults(3)).toEqual({ start: 1, left: 2 });
		expect(graph.ancestorResults(1)).toEqual({ start: 1 });
		expect(graph.ancestorResults(0)).toEqual({});
	});

	it("orders each ancestor after its own ancestors, parents by idx, however the edges were added", () => {
		const shuffled = new TaskResultGraph();
		for (const [idx, name] of ["start", "left", "right", "end"].entries())
			shuffled.addStep(idx, name, { value: idx });
		for (const [parent, child] of [
			[2, 3],
			[0, 2],
			[1, 3],
			[0, 1],
		] as const)
			shuffled.addEdge(parent, child);
		expect(Object.keys(shuffled.ancestorResults(3))).toEqual(["start", "left", "right"]);
		// One parent: its ancestors, then itself (what a consumer appends to a handed-over step's inputs).
		expect(Object.keys(shuffled.ancestorResults(2))).toEqual(["start"]);
	});

	it("walks a chain thousands of steps deep without recursion", () => {
		const graph = new TaskResultGraph();
		const depth = 20_000;
		for (let i = 0; i < depth; i++) {
			graph.addStep(i, `s${i}`, { value: i });
			if (i > 0) graph.addEdge(i - 1, i);
		}
		const keys = Object.keys(graph.ancestorResults(depth - 1));
		expect(keys).toHaveLength(depth - 1);
		expect([keys[0], keys.at(-1)]).toEqual(["s0", `s${depth - 2}`]);
	});

	it("follows saved results, including a null value and a result taken away", () => {
		const graph = diamond();
		graph.setResult(2, { value: null });
		expect(graph.ancestorResults(3)).toEqual({ start: 1, left: 2, right: null });
		graph.setResult(1, null);
		expect(graph.ancestorResults(3)).toEqual({ start: 1, right: null });
	});

	it("keeps a step's result when the same step is added again, and ignores a repeated edge", () => {
		const graph = diamond();
		graph.addStep(0, "start", null);
		graph.addEdge(0, 1);
		expect(graph.ancestorResults(1)).toEqual({ start: 1 });
		expect(graph.childrenOf(0)).toEqual([1, 2]);
	});

	it("gives a step's direct children in ascending idx, whatever order the edges came in", () => {
		const graph = new TaskResultGraph();
		for (const idx of [0, 1, 2, 3]) graph.addStep(idx, `s${idx}`, null);
		for (const child of [3, 1, 2]) graph.addEdge(0, child);
		expect(graph.childrenOf(0)).toEqual([1, 2, 3]);
		expect(graph.childrenOf(3)).toEqual([]);
		expect(graph.childrenOf(99)).toEqual([]);
	});
});
