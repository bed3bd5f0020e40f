// The UTF-8 size of a string, computed in the core itself: the core has no TextEncoder (no platform
// globals), and a size limit must count bytes as storage and queues do, not UTF-16 code units.

/** Bytes of `text` encoded as UTF-8 (a lone surrogate counts 3, as the encoder's replacement character). */
export function utf8ByteLength(text: string): number {
	let bytes = 0;
	for (const char of text) {
		const codePoint = char.codePointAt(0) ?? 0;
		bytes += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
	}
	return bytes;
}
