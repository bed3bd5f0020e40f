// canonicalJson: one text per JSON value whatever its key order, so that equal contexts hash alike.
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/canonical-json";

describe("canonicalJson", () => {
	it("sorts object keys, with no whitespace", () => {
		expect(canonicalJson({ b: 1, a: "x", c: null })).toBe('{"a":"x","b":1,"c":null}');
		expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
	});

	it("sorts keys at every depth, inside lists too", () => {
		const one = { z: { y: 1, x: [{ q: 1, p: 2 }] }, a: { d: { c: true, b: false } } };
		const two = { a: { d: { b: false, c: true } }, z: { x: [{ p: 2, q: 1 }], y: 1 } };
		expect(canonicalJson(one)).toBe(canonicalJson(two));
		expect(canonicalJson(one)).toBe('{"a":{"d":{"b":false,"c":true}},"z":{"x":[{"p":2,"q":1}],"y":1}}');
	});

	it("keeps list order: a reordered list is a different value", () => {
		expect(canonicalJson([3, 1, 2])).toBe("[3,1,2]");
		expect(canonicalJson({ items: ["a", "b"] })).not.toBe(canonicalJson({ items: ["b", "a"] }));
	});

	it("renders scalars and escapes as JSON does, and tells types apart", () => {
		expect(canonicalJson('a "quoted"\nline')).toBe(JSON.stringify('a "quoted"\nline'));
		expect(canonicalJson({ "k\u00e9y": "\u2603" })).toBe('{"k\u00e9y":"\u2603"}');
		expect(canonicalJson({ n: 1.5, e: 1e21, neg: -0 })).toBe('{"e":1e+21,"n":1.5,"neg":0}');
		expect(canonicalJson({ v: 1 })).not.toBe(canonicalJson({ v: "1" }));
		expect(canonicalJson({})).toBe("{}");
		expect(canonicalJson([])).toBe("[]");
	});

	it("drops undefined members and renders undefined list items as null, as JSON.stringify", () => {
		expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
		expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe(
			JSON.stringify({ a: undefined, b: [undefined, 1] }),
		);
	});
});
