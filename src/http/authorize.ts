// The auth gate in front of every route: off when no credentials are configured; otherwise a
// request needs valid credentials (401) holding the route's permission (403). Health, metrics and
// the API docs stay public. Runs before any body is read.
import type { MiddlewareHandler } from "hono";
import { type AuthConfigResult, type AuthEnv, readAuthConfig } from "../auth/auth-config";
import { authenticate } from "../auth/authenticate";
import { grants } from "../auth/permissions";
import { accessFor, PUBLIC } from "../auth/route-permissions";
import { errorBody } from "./error-handler";
import { credentialHeaders } from "./stream-credentials";

/** Parsed once per distinct configuration (an isolate sees one; tests see several). */
const configs = new Map<string, AuthConfigResult>();

function authConfigOf(env: AuthEnv | undefined): AuthConfigResult {
	const source: AuthEnv = {
		TASKER_API_KEYS: env?.TASKER_API_KEYS,
		TASKER_JWT_HS256_SECRET: env?.TASKER_JWT_HS256_SECRET,
		TASKER_JWT_RS256_PUBLIC_KEY: env?.TASKER_JWT_RS256_PUBLIC_KEY,
		TASKER_JWT_JWKS_URL: env?.TASKER_JWT_JWKS_URL,
		TASKER_JWT_ISSUER: env?.TASKER_JWT_ISSUER,
		TASKER_JWT_AUDIENCE: env?.TASKER_JWT_AUDIENCE,
	};
	const key = JSON.stringify(source);
	let config = configs.get(key);
	if (!config) {
		config = readAuthConfig(source);
		configs.set(key, config);
	}
	return config;
}

export function authorize(): MiddlewareHandler<{ Bindings: Env }> {
	return async (c, next) => {
		const access = accessFor(c.req.method, c.req.path);
		if (access === null || access === PUBLIC) return next();
		const config = authConfigOf(c.env as AuthEnv | undefined);
		// Misconfigured auth fails closed: a 500 naming the request id, the problem in the log.
		if (!config.ok) throw new Error(`authentication is misconfigured: ${config.problem}`);
		if (!config.config.enabled) return next();
		const who = await authenticate(config.config, credentialHeaders(c.req.raw));
		if (!who.ok) {
			return c.json(errorBody("UNAUTHORIZED", who.problem), 401, {
				"WWW-Authenticate": 'Bearer realm="tasker", charset="UTF-8"',
			});
		}
		if (!grants(who.principal.permissions, access)) {
			return c.json(errorBody("FORBIDDEN", `${who.principal.id} lacks the permission ${access}`), 403);
		}
		return next();
	};
}
