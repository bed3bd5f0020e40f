// Who is asking: an API key in `X-API-Key` or a JWT in `Authorization: Bearer`. The answer is a
// principal with its grants, or a 401 problem that never repeats the credential.

import { findApiKey } from "./api-keys";
import type { AuthConfig } from "./auth-config";
import { jwtConfigured, verifyToken } from "./jwt-verifier";
import { isValidGrant } from "./permissions";

export interface Principal {
	/** The key's id, or the token's subject. */
	id: string;
	via: "api_key" | "jwt";
	permissions: readonly string[];
}

export type Authentication = { ok: true; principal: Principal } | { ok: false; problem: string };

export async function authenticate(config: AuthConfig, headers: Headers): Promise<Authentication> {
	const apiKey = headers.get("x-api-key");
	const authorization = headers.get("authorization");
	if (apiKey !== null) {
		if (config.apiKeys.length === 0) return { ok: false, problem: "API keys are not accepted here" };
		const entry = await findApiKey(config.apiKeys, apiKey);
		if (!entry) return { ok: false, problem: "the API key in X-API-Key is not valid" };
		return { ok: true, principal: { id: entry.id, via: "api_key", permissions: entry.permissions } };
	}
	if (authorization !== null) {
		const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
		if (!match?.[1]) return { ok: false, problem: "Authorization: expected `Bearer <token>`" };
		if (!jwtConfigured(config.jwt)) return { ok: false, problem: "bearer tokens are not accepted here" };
		const checked = await verifyToken(config.jwt, match[1]);
		if (!checked.ok) return checked;
		const permissions = checked.permissions;
		if (!Array.isArray(permissions) || !permissions.every((p) => typeof p === "string")) {
			return { ok: false, problem: "the token's permissions claim must be a list of strings" };
		}
		// Strict: a grant this server does not know is refused, not ignored (a typo must not pass unseen).
		const unknown = permissions.filter((p) => !isValidGrant(p));
		if (unknown.length > 0) {
			return { ok: false, problem: `the token grants unknown permissions: ${unknown.join(", ")}` };
		}
		return { ok: true, principal: { id: checked.subject, via: "jwt", permissions } };
	}
	return { ok: false, problem: "credentials required: an API key in X-API-Key or a bearer token" };
}
