// A push's rows as JSON parameters: every row in exactly one chunk, in order, no chunk past the limit
// unless one row alone is longer.
import { describe, expect, it } from "vitest";
import { jsonRowChunks } from "../../src/d1/json-row-chunks";

describe("jsonRowChunks", () => {
	it("gives no chunk for no rows, and one for rows that fit", () => {
		expect(jsonRowChunks([])).toEqual([]);
		expect(
			jsonRowChunks([
				[1, "a"],
				[2, "b"],
			]),
		).toEqual(['[[1,"a"],[2,"b"]]']);
	});

	it("splits under the limit, keeps every row once and in order", () => {
		const rows = Array.from({ length: 1_000 }, (_, i) => [i, `step_${i}`, "complete"]);
		const chunks = jsonRowChunks(rows, 500);
		expect(chunks.length).toBeGreaterThan(1);
		for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(500);
		expect(chunks.flatMap((chunk) => JSON.parse(chunk) as unknown[])).toEqual(rows);
	});

	it("puts a row longer than the limit alone in its chunk", () => {
		const long = ["x".repeat(50)];
		expect(jsonRowChunks([[1], long, [2]], 20)).toEqual(["[[1]]", `[${JSON.stringify(long)}]`, "[[2]]"]);
	});
});
