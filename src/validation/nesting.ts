// Finds a value nested too deeply, or one that contains itself (a YAML alias inside its own anchor), in
// a parsed JSON or YAML value: either would overflow the stack when serialised again. Iterative, so that
// the check itself cannot overflow it.

export type NestingProblem = { kind: "too_deep" | "recursive"; path: Array<string | number> };

export function nestingProblem(value: unknown, maxDepth: number): NestingProblem | null {
	if (value === null || typeof value !== "object") return null;
	const ancestors = new Set<object>();
	const path: Array<string | number> = [];
	const frames: Array<{ node: object; keys: string[]; next: number }> = [];
	const enter = (node: object) => {
		ancestors.add(node);
		frames.push({ node, keys: Object.keys(node), next: 0 });
	};
	enter(value);
	while (frames.length > 0) {
		const frame = frames[frames.length - 1] as (typeof frames)[number];
		if (frame.next >= frame.keys.length) {
			frames.pop();
			ancestors.delete(frame.node);
			path.pop();
			continue;
		}
		const key = frame.keys[frame.next++] as string;
		const child = (frame.node as Record<string, unknown>)[key];
		if (child === null || typeof child !== "object") continue;
		path.push(Array.isArray(frame.node) ? Number(key) : key);
		if (ancestors.has(child)) return { kind: "recursive", path };
		if (frames.length >= maxDepth) return { kind: "too_deep", path };
		enter(child);
	}
	return null;
}
