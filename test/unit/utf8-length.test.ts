// The core's UTF-8 size agrees with the platform's encoder on every kind of character.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8ByteLength } from "../../src/core/utf8-length";

const encoded = (text: string): number => new TextEncoder().encode(text).byteLength;

describe("utf8ByteLength", () => {
	it("counts 1, 2, 3 and 4-byte characters and lone surrogates as TextEncoder does", () => {
		for (const text of ["", "a", "é", "€", "😀", "a€😀é", "\ud800", "x\udc00y"]) {
			expect(utf8ByteLength(text)).toBe(encoded(text));
		}
	});

	it("agrees with TextEncoder on arbitrary strings", () => {
		fc.assert(fc.property(fc.string({ unit: "binary" }), (text) => utf8ByteLength(text) === encoded(text)));
	});
});
