// What in a parsed JSON or YAML value would not be stored as given: each found with the path to it.
import { describe, expect, it } from "vitest";
import { validateTemplateText } from "../../src/templates/validate-template";
import { storableValueProblem } from "../../src/validation/storable-value";

describe("storableValueProblem", () => {
	it("passes plain data, the largest double and keys that only look alike", () => {
		const value = { a: [1, -0, 1.7976931348623157e308, "Infinity", null], proto: { __proto_: 1 } };
		expect(storableValueProblem(value, 10)).toBeNull();
		expect(storableValueProblem("text", 10)).toBeNull();
	});

	it("finds a number that is not finite, in an object or an array, or alone", () => {
		expect(storableValueProblem({ a: { b: [0, Number.POSITIVE_INFINITY] } }, 10)).toEqual({
			kind: "not_finite",
			path: ["a", "b", 1],
		});
		expect(storableValueProblem({ n: Number.NaN }, 10)).toEqual({ kind: "not_finite", path: ["n"] });
		expect(storableValueProblem(Number.NEGATIVE_INFINITY, 10)).toEqual({ kind: "not_finite", path: [] });
	});

	it("finds a __proto__ key as JSON.parse keeps it (an own key), wherever it is", () => {
		expect(storableValueProblem(JSON.parse('{"a": [{"__proto__": {"x": 1}}]}'), 10)).toEqual({
			kind: "proto_key",
			path: ["a", 0, "__proto__"],
		});
	});

	it("still finds a value nested too deeply, or one that contains itself", () => {
		expect(storableValueProblem([[[[1]]]], 3)).toEqual({ kind: "too_deep", path: [0, 0, 0] });
		const loop: Record<string, unknown> = { a: {} };
		(loop.a as Record<string, unknown>).back = loop;
		expect(storableValueProblem(loop, 10)).toEqual({ kind: "recursive", path: ["a", "back"] });
	});

	it("makes a template with .inf, .nan or a __proto__ key a validation problem naming the path", () => {
		const template = (initialization: string) =>
			validateTemplateText(
				`name: t\nnamespace_name: n\nversion: 1.0.0\nsteps:\n  - name: s\n    handler: { callable: H, initialization: ${initialization} }\n`,
			);
		const problems = (initialization: string) => {
			const result = template(initialization);
			return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
		};
		expect(problems("{ limit: .inf }")).toEqual([
			"steps[0].handler.initialization.limit: is not a finite number (.inf and .nan cannot be carried as JSON)",
		]);
		expect(problems("{ ratio: .nan }")).toHaveLength(1);
		expect(problems('{ "__proto__": { admin: true } }')).toEqual([
			'steps[0].handler.initialization.__proto__: the key "__proto__" is not accepted (JavaScript objects drop it)',
		]);
		expect(template("{ limit: 10 }").ok).toBe(true);
	});
});
