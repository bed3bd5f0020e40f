// API keys: stored as SHA-256 hashes, and a presented key is matched by comparing hashes in constant
// time, so neither the stored secret nor the time a comparison takes gives a key away.
import type { ApiKeyEntry } from "./auth-config";

export async function sha256Hex(text: string): Promise<string> {
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
	return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Equal strings of equal length, compared without an early exit. */
export function constantTimeEqual(a: string, b: string): boolean {
	if (a.length !== b.length) return false;
	let difference = 0;
	for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
	return difference === 0;
}

/** The entry whose hash matches the presented key; every entry is compared, whichever matches. */
export async function findApiKey(
	entries: readonly ApiKeyEntry[],
	presented: string,
): Promise<ApiKeyEntry | null> {
	const hash = await sha256Hex(presented);
	let found: ApiKeyEntry | null = null;
	for (const entry of entries) if (constantTimeEqual(entry.sha256, hash)) found = entry;
	return found;
}
