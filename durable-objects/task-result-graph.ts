// The task's dependency edges and step results, held in the object's memory so that handing a step its
// inputs reads no rows. A step's inputs are the results of all its ancestors (as in Tasker, whose
// transitive-dependency query walks every ancestor): with a recursive SQL query per claim, a 200-step
// chain read ~409 rows per step, quadratic in the task. Held here, a claim walks the ancestors in memory.
//
// The store keeps it coherent: it is filled from the store's own writes (insertSteps, saveStep) or,
// after the object was evicted, rebuilt from SQLite in one read on first use. A rolled-back
// transaction drops it (SqliteTaskStore.discard), and the next use rebuilds it from what was committed.
//
// Its token (see TaskStore.inputsToken) is this graph's own random id and a count of its changes: a
// rebuilt graph never repeats an earlier graph's token, so inputs taken before an eviction or a
// rollback are never taken for current.

interface Node {
	name: string;
	/** Whether the step has a result saved; `result` is its value (what `dependency_results` carries). */
	has: boolean;
	result: unknown;
	parents: number[];
	children: Set<number>;
}

export class TaskResultGraph {
	private readonly nodes = new Map<number, Node>();
	private readonly id = crypto.randomUUID();
	/** Results set and edges added so far. */
	private changes = 0;

	/** Changes with every result set and edge added (see TaskStore.inputsToken). */
	get token(): string {
		return `${this.id}:${this.changes}`;
	}

	/** Adds a step with its result, if it has one (a step already held is left as it is). */
	addStep(idx: number, name: string, result: { value: unknown } | null): void {
		if (this.nodes.has(idx)) return;
		this.nodes.set(idx, {
			name,
			has: result !== null,
			result: result?.value,
			parents: [],
			children: new Set(),
		});
	}

	addEdge(parent: number, child: number): void {
		const node = this.nodes.get(child);
		if (node && !node.parents.includes(parent)) insertAscending(node.parents, parent);
		this.nodes.get(parent)?.children.add(child);
		this.changes += 1;
	}

	/** The steps that depend on `idx` directly, in ascending idx as its row keeps them (none for a step not held). */
	childrenOf(idx: number): number[] {
		const children = this.nodes.get(idx)?.children;
		return children ? [...children].sort((a, b) => a - b) : [];
	}

	/** A step's result was saved (null: it has none, e.g. after a reset). */
	setResult(idx: number, result: { value: unknown } | null): void {
		const node = this.nodes.get(idx);
		// Most saves are of steps still without a result (a claim, a hand-over): no change to anyone's inputs.
		if (!node || (!node.has && result === null)) return;
		node.has = result !== null;
		node.result = result?.value;
		this.changes += 1;
	}

	/** One step's result as its descendants' inputs hold it (null: it has none, or is not held). */
	resultOf(idx: number): { value: unknown } | null {
		const node = this.nodes.get(idx);
		return node?.has ? { value: node.result } : null;
	}

	/**
	 * Results of every ancestor of `idx` that has one, keyed by step name, in the order of
	 * ancestorsInOrder. The values are the held ones, not copies: callers hand them on (serialized
	 * across RPC) and never change them.
	 */
	ancestorResults(idx: number): Record<string, unknown> {
		const results: Record<string, unknown> = {};
		for (const node of ancestorsInOrder(this.nodes, idx)) if (node.has) results[node.name] = node.result;
		return results;
	}
}

/**
 * A step's ancestors, each after its own ancestors (parents taken in ascending idx), so every walk gives
 * the same order however the graph was filled. A step with one parent has that parent's ancestors, then
 * the parent: what lets a consumer complete a handed-over step's inputs by adding the parent's result
 * after its own inputs (see StepRunInput.inherits_inputs). Iterative: a chain may be thousands deep.
 */
export function ancestorsInOrder<N extends { parents: readonly number[] }>(
	nodes: ReadonlyMap<number, N>,
	idx: number,
): N[] {
	const start = nodes.get(idx);
	if (!start) return [];
	const ordered: N[] = [];
	const seen = new Set<number>([idx]);
	const frames: Array<{ node: N; next: number }> = [{ node: start, next: 0 }];
	while (frames.length > 0) {
		const top = frames[frames.length - 1] as { node: N; next: number };
		const parent = top.node.parents[top.next];
		if (parent !== undefined) {
			top.next += 1;
			const node = seen.has(parent) ? undefined : nodes.get(parent);
			seen.add(parent);
			if (node) frames.push({ node, next: 0 });
			continue;
		}
		frames.pop();
		// The step itself is the first frame: not among its own ancestors.
		if (frames.length > 0) ordered.push(top.node);
	}
	return ordered;
}

function insertAscending(list: number[], value: number): void {
	let at = list.length;
	while (at > 0 && (list[at - 1] as number) > value) at -= 1;
	list.splice(at, 0, value);
}
