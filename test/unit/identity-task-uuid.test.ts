import { describe, expect, it } from "vitest";
import { identityTaskUuid } from "../../src/core/identity-task-uuid";

const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("identityTaskUuid", () => {
	it("lays the hash's first 128 bits out as a UUIDv8, keeping every bit but version and variant", () => {
		const hash = "0123456789abcdef0123456789abcdef00112233445566778899aabbccddeeff";
		expect(identityTaskUuid(hash)).toBe("01234567-89ab-8def-8123-456789abcdef");
		expect(identityTaskUuid("f".repeat(64))).toBe("ffffffff-ffff-8fff-bfff-ffffffffffff");
		expect(identityTaskUuid("0".repeat(64))).toBe("00000000-0000-8000-8000-000000000000");
	});

	it("is the same for the same hash and differs for another (one task object per identity)", () => {
		const a = `${"a".repeat(63)}1`;
		expect(identityTaskUuid(a)).toBe(identityTaskUuid(a));
		expect(identityTaskUuid(`1${"a".repeat(63)}`)).not.toBe(identityTaskUuid(a));
		expect(identityTaskUuid(a)).toMatch(UUID_V8);
	});

	it("refuses what is not a hex hash of at least 128 bits", () => {
		expect(() => identityTaskUuid("abc")).toThrow(/expected at least 32 lower-case hex digits, got "abc"/);
		expect(() => identityTaskUuid("G".repeat(64))).toThrow(/lower-case hex/);
	});
});
