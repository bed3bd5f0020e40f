// The one way to reach a task identity's Durable Object: its name is the identity's hash.

/** What a claim of an identity answers: this task is the first with it, or the task that was. */
export type IdentityClaim = { claimed: true } | { claimed: false; taskUuid: string };

/** The identity object's RPC, as a caller sees it (every RPC answers a promise). */
export interface IdentityObjectApi {
	claim(taskUuid: string): Promise<IdentityClaim>;
}

export function identityObject(env: Env, identityHash: string): IdentityObjectApi {
	return env.IDENTITIES.get(env.IDENTITIES.idFromName(identityHash)) as unknown as IdentityObjectApi;
}
