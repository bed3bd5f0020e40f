// The task uuid of a deduplicated submission, derived from its identity's hash: every submission of one
// identity names the same task object, whose create is first-writer-wins, so that object is where
// duplicates meet (no separate identity object, no extra round trip before the task exists).

const HEX_HASH = /^[0-9a-f]{32,}$/;

/**
 * A UUIDv8 (RFC 9562's custom layout) from the first 128 bits of a lower-case hex hash: the version
 * nibble set to 8 and the variant to 10xx, so 122 bits of the hash remain. It can never equal a fresh
 * task's UUIDv7, whose version nibble is 7.
 */
export function identityTaskUuid(hashHex: string): string {
	if (!HEX_HASH.test(hashHex)) {
		throw new Error(
			`identityTaskUuid: expected at least 32 lower-case hex digits, got ${JSON.stringify(hashHex)}`,
		);
	}
	const variant = ((Number.parseInt(hashHex.charAt(16), 16) & 0x3) | 0x8).toString(16);
	return [
		hashHex.slice(0, 8),
		hashHex.slice(8, 12),
		`8${hashHex.slice(13, 16)}`,
		`${variant}${hashHex.slice(17, 20)}`,
		hashHex.slice(20, 32),
	].join("-");
}
