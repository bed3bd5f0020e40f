// GET /config: the reference's whitelist of non-secret settings, filled with ours. Only what is named
// here is shown: whether auth is on and how (never a key, hash, secret or URL), the queues the
// namespaces go to, the engine's fixed timings and limits.
import { createRoute, z } from "@hono/zod-openapi";
import { version } from "../../../package.json";
import { type AuthEnv, readAuthConfig } from "../../auth/auth-config";
import * as limits from "../../limits";
import { namespaceQueues } from "../../queue/namespace-queues";
import { createRouter } from "../openapi-router";
import { errorResponses, jsonResponse } from "../route-responses";

export const configSchema = z
	.object({
		metadata: z.object({
			timestamp: z.string().meta({ format: "date-time" }),
			environment: z.string(),
			version: z.string(),
		}),
		auth: z.object({
			enabled: z.boolean(),
			verification_method: z
				.string()
				.meta({ description: "hs256, rs256_public_key, jwks, api_key_only or none" }),
			jwt_issuer: z.string(),
			jwt_audience: z.string(),
			api_key_header: z.string(),
			api_key_count: z.number().int().meta({ description: "How many keys are configured (never the keys)." }),
			strict_validation: z.boolean(),
			allowed_algorithms: z.array(z.string()),
		}),
		circuit_breakers: z.object({
			enabled: z.boolean(),
			failure_threshold: z.number().int(),
			timeout_seconds: z.number().int(),
			success_threshold: z.number().int(),
		}),
		database_pools: z.object({
			web_api_pool_size: z.number().int(),
			web_api_max_connections: z.number().int(),
		}),
		deployment_mode: z.string(),
		messaging: z.object({
			backend: z.string(),
			queues: z
				.array(z.string())
				.meta({ description: "The queue producer bindings steps are sent through." }),
			namespace_routes: z.record(z.string(), z.string()),
		}),
		limits: z.record(z.string(), z.unknown()).meta({ description: "The engine's size and count limits." }),
	})
	.meta({ id: "OrchestrationConfigResponse" });

const route = createRoute({
	method: "get",
	path: "/",
	tags: ["config"],
	summary: "Non-secret settings: auth mode, queues, limits, version",
	responses: { 200: jsonResponse(configSchema, "The settings"), ...errorResponses({}) },
});

export function configRoutes() {
	const app = createRouter();
	app.openapi(route, (c) => {
		const parsed = readAuthConfig(c.env as unknown as AuthEnv);
		const auth = parsed.ok ? parsed.config : null;
		const method = !auth?.enabled
			? "none"
			: auth.jwt.jwksUrl
				? "jwks"
				: auth.jwt.rs256PublicKey
					? "rs256_public_key"
					: auth.jwt.hs256Secret
						? "hs256"
						: "api_key_only";
		const algorithms = [
			auth?.jwt.hs256Secret ? "HS256" : null,
			auth?.jwt.rs256PublicKey || auth?.jwt.jwksUrl ? "RS256" : null,
		];
		const queues = namespaceQueues(c.env);
		const routes = queues.ok ? Object.fromEntries(queues.routes) : {};
		return c.json(
			{
				metadata: { timestamp: new Date().toISOString(), environment: "workers", version },
				auth: {
					enabled: auth?.enabled ?? false,
					verification_method: method,
					jwt_issuer: auth?.jwt.issuer ?? "",
					jwt_audience: auth?.jwt.audience ?? "",
					api_key_header: "X-API-Key",
					api_key_count: auth?.apiKeys.length ?? 0,
					strict_validation: true,
					allowed_algorithms: algorithms.filter((a): a is string => a !== null),
				},
				circuit_breakers: { enabled: false, failure_threshold: 0, timeout_seconds: 0, success_threshold: 0 },
				database_pools: { web_api_pool_size: 0, web_api_max_connections: 0 },
				deployment_mode: "cloudflare_workers",
				messaging: {
					backend: "cloudflare_queues",
					queues: ["STEP_QUEUE", ...new Set(Object.values(routes))],
					namespace_routes: routes,
				},
				limits: Object.fromEntries(
					Object.entries(limits).filter(([, v]) => typeof v === "number" || typeof v === "object"),
				),
			},
			200,
		);
	});
	return app;
}
