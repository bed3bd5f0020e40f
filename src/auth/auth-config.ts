// Authentication settings, read from the Worker's environment (secrets in production, `.dev.vars`
// locally). Auth is on as soon as any credential source is configured, and off otherwise, so that
// `npm run dev` works out of the box.
import { z } from "zod";
import { describeValue } from "../validation/field-schemas";
import { isValidGrant } from "./permissions";

/** The environment variables auth reads (all optional; none set means auth is off). */
export interface AuthEnv {
	/** JSON: `[{"id", "sha256", "permissions": [...]}]`; `npm run auth:hash-key` prints an entry. */
	TASKER_API_KEYS?: string;
	/** HS256: the shared secret tokens are signed with (at least 32 characters). */
	TASKER_JWT_HS256_SECRET?: string;
	/** RS256: the issuer's public key, PEM (SPKI, `-----BEGIN PUBLIC KEY-----`). */
	TASKER_JWT_RS256_PUBLIC_KEY?: string;
	/** RS256: a JWKS URL to fetch the issuer's keys from (cached, refreshed on an unknown `kid`). */
	TASKER_JWT_JWKS_URL?: string;
	/** When set, a token's `iss` / `aud` must match. */
	TASKER_JWT_ISSUER?: string;
	TASKER_JWT_AUDIENCE?: string;
}

export interface ApiKeyEntry {
	id: string;
	/** Hex SHA-256 of the key: the key itself is never stored. */
	sha256: string;
	permissions: string[];
}

export interface AuthConfig {
	enabled: boolean;
	apiKeys: ApiKeyEntry[];
	jwt: {
		hs256Secret: string | null;
		rs256PublicKey: string | null;
		jwksUrl: string | null;
		issuer: string | null;
		audience: string | null;
	};
}

export const MIN_HS256_SECRET_LENGTH = 32;

const grant = z.string().refine(isValidGrant, {
	error: (issue) =>
		`expected a permission such as tasks:read or a resource wildcard such as tasks:*, got ${describeValue(issue.input)}`,
});
const apiKeysSchema = z.array(
	z
		.object({
			id: z.string().min(1).max(128),
			sha256: z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lowercase hex characters (the key's SHA-256)"),
			permissions: z.array(grant),
		})
		.strict(),
);

export type AuthConfigResult = { ok: true; config: AuthConfig } | { ok: false; problem: string };

/** Parses the settings; a malformed one is a problem named precisely (auth then fails closed). */
export function readAuthConfig(env: AuthEnv): AuthConfigResult {
	const text = (value: string | undefined) =>
		value === undefined || value.trim() === "" ? null : value.trim();
	let apiKeys: ApiKeyEntry[] = [];
	const keysText = text(env.TASKER_API_KEYS);
	if (keysText !== null) {
		let raw: unknown;
		try {
			raw = JSON.parse(keysText);
		} catch {
			return { ok: false, problem: "TASKER_API_KEYS: expected JSON, a list of {id, sha256, permissions}" };
		}
		const parsed = apiKeysSchema.safeParse(raw);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			return {
				ok: false,
				problem: `TASKER_API_KEYS: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`,
			};
		}
		apiKeys = parsed.data;
	}
	const jwt = {
		hs256Secret: text(env.TASKER_JWT_HS256_SECRET),
		rs256PublicKey: text(env.TASKER_JWT_RS256_PUBLIC_KEY),
		jwksUrl: text(env.TASKER_JWT_JWKS_URL),
		issuer: text(env.TASKER_JWT_ISSUER),
		audience: text(env.TASKER_JWT_AUDIENCE),
	};
	if (jwt.hs256Secret !== null && jwt.hs256Secret.length < MIN_HS256_SECRET_LENGTH) {
		return {
			ok: false,
			problem: `TASKER_JWT_HS256_SECRET: expected at least ${MIN_HS256_SECRET_LENGTH} characters, got ${jwt.hs256Secret.length}`,
		};
	}
	if (jwt.rs256PublicKey !== null && !jwt.rs256PublicKey.includes("-----BEGIN PUBLIC KEY-----")) {
		return {
			ok: false,
			problem: "TASKER_JWT_RS256_PUBLIC_KEY: expected a PEM public key (-----BEGIN PUBLIC KEY-----)",
		};
	}
	if (jwt.jwksUrl !== null && !URL.canParse(jwt.jwksUrl)) {
		return { ok: false, problem: `TASKER_JWT_JWKS_URL: expected a URL, got ${describeValue(jwt.jwksUrl)}` };
	}
	const enabled =
		keysText !== null || jwt.hs256Secret !== null || jwt.rs256PublicKey !== null || jwt.jwksUrl !== null;
	return { ok: true, config: { enabled, apiKeys, jwt } };
}
