// One JSON text per value, whatever the order its object keys were written in: the input of a
// submission's identity hash, so that `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same task.

/**
 * JSON with every object's keys sorted (recursively, by UTF-16 code unit, as `Array#sort`) and no
 * whitespace; arrays keep their order (order is meaning in a list). For JSON values (a parsed
 * request body); anything else is rendered as `JSON.stringify` would (`undefined` members dropped,
 * `undefined` in a list as `null`).
 */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) {
		return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
	}
	if (value !== null && typeof value === "object") {
		const record = value as Record<string, unknown>;
		const members = Object.keys(record)
			.sort()
			.flatMap((key) =>
				record[key] === undefined ? [] : [`${JSON.stringify(key)}:${canonicalJson(record[key])}`],
			);
		return `{${members.join(",")}}`;
	}
	return JSON.stringify(value) ?? "null";
}
