// Deterministic ids for the order example: derived from a step's idempotency key, so that a retried
// attempt reserves or charges under the same id instead of doing it twice.

const FNV_OFFSET_BASIS_64 = 0xcbf29ce484222325n;
const FNV_PRIME_64 = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/** 64-bit FNV-1a over the UTF-8 bytes of `text`, as 16 lowercase hex digits. */
export function fnv1a64Hex(text: string): string {
	let hash = FNV_OFFSET_BASIS_64;
	for (const byte of new TextEncoder().encode(text)) {
		hash = ((hash ^ BigInt(byte)) * FNV_PRIME_64) & MASK_64;
	}
	return hash.toString(16).padStart(16, "0");
}

/** `PREFIX-<16 hex digits>`; the prefix is hashed too, so ids of different kinds never coincide. */
export function deterministicId(prefix: string, idempotencyKey: string): string {
	return `${prefix}-${fnv1a64Hex(`${prefix}:${idempotencyKey}`).toUpperCase()}`;
}
