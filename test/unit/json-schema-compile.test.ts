import { describe, expect, it } from "vitest";
import { deepFreeze } from "../../durable-objects/task-record-copy";
import { compileSchema } from "../../src/validation/json-schema";

describe("compileSchema", () => {
	it("compiles a frozen schema and leaves the caller's schema as it was", () => {
		const schema = {
			type: "object",
			required: ["order_id"],
			properties: { order_id: { type: "string" }, lines: { type: "array", items: { $ref: "#/$defs/line" } } },
			$defs: { line: { type: "object", required: ["sku"] } },
		};
		const before = JSON.stringify(schema);
		const check = compileSchema(deepFreeze(schema));
		expect(check({ order_id: "ORD-1", lines: [{ sku: "A" }] })).toEqual([]);
		expect(check({ lines: [{}] }).map((p) => p.path)).toEqual(["order_id", "lines[0].sku"]);
		expect(JSON.stringify(schema)).toBe(before);
	});
});
