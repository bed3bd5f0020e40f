// Verifies bearer tokens with jose: HS256 with a shared secret, RS256 with a public key or a JWKS
// URL. A token must carry `exp`, and `iss` / `aud` when those are configured; its permissions come
// from its `permissions` claim.
import { createRemoteJWKSet, decodeProtectedHeader, importSPKI, type JWTPayload, jwtVerify } from "jose";
import type { AuthConfig } from "./auth-config";

export type TokenCheck = { ok: true; subject: string; permissions: unknown } | { ok: false; problem: string };

type Jwt = AuthConfig["jwt"];
type RemoteKeys = ReturnType<typeof createRemoteJWKSet>;

/** Imported keys and JWKS fetchers are kept per isolate, keyed by their configuration. */
const publicKeys = new Map<string, Promise<CryptoKey>>();
const remoteKeySets = new Map<string, RemoteKeys>();

export function jwtConfigured(jwt: Jwt): boolean {
	return jwt.hs256Secret !== null || jwt.rs256PublicKey !== null || jwt.jwksUrl !== null;
}

export async function verifyToken(jwt: Jwt, token: string): Promise<TokenCheck> {
	let algorithm: unknown;
	try {
		algorithm = decodeProtectedHeader(token).alg;
	} catch {
		return { ok: false, problem: "the bearer token is not a JWT" };
	}
	const options = {
		requiredClaims: ["exp"],
		...(jwt.issuer === null ? {} : { issuer: jwt.issuer }),
		...(jwt.audience === null ? {} : { audience: jwt.audience }),
	};
	try {
		let payload: JWTPayload;
		if (algorithm === "HS256" && jwt.hs256Secret !== null) {
			const secret = new TextEncoder().encode(jwt.hs256Secret);
			({ payload } = await jwtVerify(token, secret, { ...options, algorithms: ["HS256"] }));
		} else if (algorithm === "RS256" && jwt.rs256PublicKey !== null) {
			({ payload } = await jwtVerify(token, await publicKey(jwt.rs256PublicKey), {
				...options,
				algorithms: ["RS256"],
			}));
		} else if (algorithm === "RS256" && jwt.jwksUrl !== null) {
			({ payload } = await jwtVerify(token, remoteKeySet(jwt.jwksUrl), {
				...options,
				algorithms: ["RS256"],
			}));
		} else {
			return { ok: false, problem: `tokens signed with ${String(algorithm)} are not accepted here` };
		}
		return { ok: true, subject: payload.sub ?? "(no subject)", permissions: payload.permissions };
	} catch (error) {
		// jose's messages name the failed check (signature, exp, iss, aud), never the token itself.
		const reason = error instanceof Error ? error.message : "verification failed";
		return { ok: false, problem: `the bearer token was refused: ${reason}` };
	}
}

function publicKey(pem: string): Promise<CryptoKey> {
	let key = publicKeys.get(pem);
	if (!key) {
		key = importSPKI(pem, "RS256");
		key.catch(() => publicKeys.delete(pem));
		publicKeys.set(pem, key);
	}
	return key;
}

function remoteKeySet(url: string): RemoteKeys {
	let keys = remoteKeySets.get(url);
	if (!keys) {
		keys = createRemoteJWKSet(new URL(url));
		remoteKeySets.set(url, keys);
	}
	return keys;
}
