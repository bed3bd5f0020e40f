// A submission's identity hash: the SHA-256 of the identity's canonical source (decided by the pure core,
// src/core/task-identity.ts), with the platform's Web Crypto, kept out of the core. The task's uuid is
// derived from it (src/core/identity-task-uuid.ts).

/** The SHA-256 of an identity's canonical source, in lower-case hex (64 characters). */
export async function identityHash(source: string): Promise<string> {
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(source));
	return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
