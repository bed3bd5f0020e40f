// Finds what in a parsed JSON or YAML value would not be stored as it was given: a value nested too
// deeply or one that contains itself (a YAML alias inside its own anchor), either of which would overflow
// the stack when serialised again; a number JSON cannot carry (1e999 parses as Infinity, YAML's .inf and
// .nan load as such, and all three are written back as null); a "__proto__" key, which every copy into
// a plain object drops (and which is the classic way to pollute prototypes). Iterative, so that the check
// itself cannot overflow the stack.

export type StorableValueProblem = {
	kind: "too_deep" | "recursive" | "not_finite" | "proto_key";
	path: Array<string | number>;
};

export function storableValueProblem(value: unknown, maxDepth: number): StorableValueProblem | null {
	if (typeof value === "number" && !Number.isFinite(value)) return { kind: "not_finite", path: [] };
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
		const at = Array.isArray(frame.node) ? Number(key) : key;
		if (key === "__proto__" && !Array.isArray(frame.node)) return { kind: "proto_key", path: [...path, at] };
		const child = (frame.node as Record<string, unknown>)[key];
		if (typeof child === "number" && !Number.isFinite(child))
			return { kind: "not_finite", path: [...path, at] };
		if (child === null || typeof child !== "object") continue;
		path.push(at);
		if (ancestors.has(child)) return { kind: "recursive", path };
		if (frames.length >= maxDepth) return { kind: "too_deep", path };
		enter(child);
	}
	return null;
}
