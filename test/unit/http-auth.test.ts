// Auth in-process (app.request): off without configuration; with API keys or JWTs (HS256, RS256 by
// key or JWKS URL), 401 without valid credentials, 403 without the route's permission, health public.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/auth/api-keys";
import type { AuthEnv } from "../../src/auth/auth-config";
import { accessFor, PUBLIC } from "../../src/auth/route-permissions";
import { createApp } from "../../src/http/app";
import { buildHandlerRegistry } from "../../src/registry/handler-registry";
import { TemplateRegistry } from "../../src/registry/template-registry";
import { dagTemplate } from "../support/template-builders";

const app = createApp(new TemplateRegistry([dagTemplate({ a: [] })]), buildHandlerRegistry([]));
const SECRET = "a-test-secret-that-is-long-enough-for-hs256";
const OPS_KEY = "tk_live_ops_0123456789";
const READER_KEY = "tk_live_reader_0123456789";

async function keysEnv(): Promise<AuthEnv> {
	return {
		TASKER_API_KEYS: JSON.stringify([
			{ id: "ops", sha256: await sha256Hex(OPS_KEY), permissions: ["tasks:*", "steps:*"] },
			{ id: "reader", sha256: await sha256Hex(READER_KEY), permissions: ["templates:read"] },
		]),
	};
}

async function call(path: string, env: AuthEnv, headers: Record<string, string> = {}, method = "GET") {
	const response = await app.request(path, { method, headers }, env as unknown as Env);
	const text = await response.text();
	return { status: response.status, headers: response.headers, text, body: JSON.parse(text || "null") };
}

const token = (claims: Record<string, unknown>, expiresIn: string | number = "5m") =>
	new SignJWT(claims)
		.setProtectedHeader({ alg: "HS256" })
		.setSubject("svc-billing")
		.setExpirationTime(expiresIn)
		.sign(new TextEncoder().encode(SECRET));

describe("auth off", () => {
	it("lets every request through when nothing is configured (npm run dev)", async () => {
		expect((await call("/v1/templates", {})).status).toBe(200);
	});
});

describe("API keys in X-API-Key", () => {
	it("401 without credentials or with a wrong key, never echoing the key; 403 without the permission", async () => {
		const env = await keysEnv();
		const none = await call("/v1/templates", env);
		expect(none.status).toBe(401);
		expect(none.body.error.code).toBe("UNAUTHORIZED");
		expect(none.headers.get("www-authenticate")).toContain("Bearer");
		const wrong = await call("/v1/templates", env, { "X-API-Key": "tk_live_guess_999" });
		expect(wrong).toMatchObject({ status: 401, body: { error: { code: "UNAUTHORIZED" } } });
		expect(wrong.text).not.toContain("tk_live_guess_999");
		const forbidden = await call("/v1/templates", env, { "X-API-Key": OPS_KEY });
		expect(forbidden).toMatchObject({
			status: 403,
			body: { error: { code: "FORBIDDEN", message: "ops lacks the permission templates:read" } },
		});
		expect(forbidden.text).not.toContain(OPS_KEY);
	});

	it("200 with a key holding the permission; a resource wildcard grants the whole resource", async () => {
		const env = await keysEnv();
		expect((await call("/v1/templates", env, { "X-API-Key": READER_KEY })).status).toBe(200);
		// tasks:* passes the gate; the request then fails validation, which proves it got through.
		const past = await call("/v1/tasks/not-a-uuid", env, { "X-API-Key": OPS_KEY });
		expect(past).toMatchObject({ status: 400, body: { error: { code: "BAD_REQUEST" } } });
	});

	it("authorises before the body is read: a bad body from a stranger is a 401, not a 400", async () => {
		const env = await keysEnv();
		const response = await app.request(
			"/v1/tasks",
			{ method: "POST", headers: { "content-type": "application/json" }, body: "{oops" },
			env as unknown as Env,
		);
		expect(response.status).toBe(401);
	});

	it("keeps health public", async () => {
		const env = await keysEnv();
		expect((await call("/health", env)).status).toBe(200);
		expect((await call("/health/live", env)).status).toBe(200);
	});
});

describe("JWT bearer tokens", () => {
	const env: AuthEnv = { TASKER_JWT_HS256_SECRET: SECRET };
	const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

	it("HS256: 200 with the permission, 403 without it", async () => {
		expect(
			(await call("/v1/templates", env, bearer(await token({ permissions: ["templates:*"] })))).status,
		).toBe(200);
		const forbidden = await call("/v1/templates", env, bearer(await token({ permissions: ["tasks:read"] })));
		expect(forbidden).toMatchObject({
			status: 403,
			body: { error: { message: "svc-billing lacks the permission templates:read" } },
		});
	});

	it("401 for an expired, badly signed, exp-less or unsigned token, or one granting unknown permissions", async () => {
		const expired = await token({ permissions: ["templates:read"] }, Math.floor(Date.now() / 1000) - 60);
		const otherSecret = await new SignJWT({ permissions: ["templates:read"] })
			.setProtectedHeader({ alg: "HS256" })
			.setExpirationTime("5m")
			.sign(new TextEncoder().encode("another-secret-another-secret-another"));
		const noExp = await new SignJWT({ permissions: ["templates:read"] })
			.setProtectedHeader({ alg: "HS256" })
			.sign(new TextEncoder().encode(SECRET));
		const unsigned = `${btoa(JSON.stringify({ alg: "none" }))}.${btoa(JSON.stringify({ permissions: ["templates:read"] }))}.`;
		const unknown = await token({ permissions: ["templates:read", "*"] });
		for (const [bad, message] of [
			[expired, /exp/],
			[otherSecret, /signature/],
			[noExp, /exp/],
			[unsigned, /not accepted|not a JWT/],
			[unknown, /unknown permissions: \*/],
			["not.a.jwt", /not a JWT|refused/],
		] as const) {
			const answer = await call("/v1/templates", env, bearer(bad));
			expect(answer.status, String(message)).toBe(401);
			expect(answer.body.error.message).toMatch(message);
			expect(answer.text).not.toContain(bad);
		}
		expect((await call("/v1/templates", env, { Authorization: "Basic abc" })).status).toBe(401);
	});

	it("RS256 with a PEM public key", async () => {
		const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
		const rsEnv: AuthEnv = { TASKER_JWT_RS256_PUBLIC_KEY: await exportSPKI(publicKey) };
		const signed = await new SignJWT({ permissions: ["templates:read"] })
			.setProtectedHeader({ alg: "RS256" })
			.setExpirationTime("5m")
			.sign(privateKey);
		expect((await call("/v1/templates", rsEnv, bearer(signed))).status).toBe(200);
		// An HS256 token is refused where only RS256 is configured (no algorithm confusion).
		expect(
			(await call("/v1/templates", rsEnv, bearer(await token({ permissions: ["templates:read"] })))).status,
		).toBe(401);
	});

	describe("RS256 with a JWKS URL", () => {
		let server: Server;
		let jwksUrl = "";
		let privateKey: CryptoKey;
		beforeAll(async () => {
			const pair = await generateKeyPair("RS256", { extractable: true });
			privateKey = pair.privateKey;
			const jwk = { ...(await exportJWK(pair.publicKey)), kid: "key-1", alg: "RS256", use: "sig" };
			server = createServer((_req, res) => {
				res.writeHead(200, { "content-type": "application/json" });
				res.end(JSON.stringify({ keys: [jwk] }));
			});
			await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
			jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
		});
		afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

		it("verifies a token signed by a key the JWKS lists, checking issuer and audience", async () => {
			const jwksEnv: AuthEnv = {
				TASKER_JWT_JWKS_URL: jwksUrl,
				TASKER_JWT_ISSUER: "idp",
				TASKER_JWT_AUDIENCE: "tasker",
			};
			const sign = (issuer: string) =>
				new SignJWT({ permissions: ["templates:read"] })
					.setProtectedHeader({ alg: "RS256", kid: "key-1" })
					.setIssuer(issuer)
					.setAudience("tasker")
					.setExpirationTime("5m")
					.sign(privateKey);
			expect((await call("/v1/templates", jwksEnv, bearer(await sign("idp")))).status).toBe(200);
			const wrongIssuer = await call("/v1/templates", jwksEnv, bearer(await sign("someone-else")));
			expect(wrongIssuer.status).toBe(401);
			expect(wrongIssuer.body.error.message).toMatch(/iss/);
		});
	});
});

describe("misconfiguration", () => {
	it("fails closed with a 500 naming the request id, the problem kept for the log", async () => {
		const answer = await call("/v1/templates", { TASKER_API_KEYS: "not json" });
		expect(answer.status).toBe(500);
		expect(answer.body.error.code).toBe("INTERNAL_ERROR");
		expect(answer.body.error.message).toMatch(/request id/);
		expect(answer.text).not.toContain("TASKER_API_KEYS");
		const weak = await call("/v1/templates", { TASKER_JWT_HS256_SECRET: "short" });
		expect(weak.status).toBe(500);
		expect(weak.text).not.toContain("short");
	});
});

describe("the route table", () => {
	it("holds every route of the app to a permission or to public", () => {
		const routes = app.routes.filter((route) => route.method !== "ALL");
		expect(routes.length).toBeGreaterThan(10);
		for (const route of routes) {
			const concrete = route.path.replace(/:[a-z_]+/g, "x").replace(/\*$/, "x");
			expect(accessFor(route.method, concrete), `${route.method} ${route.path}`).not.toBeNull();
		}
	});

	it("keeps health, metrics and the API docs public and everything under /v1 protected", () => {
		for (const path of ["/health", "/health/ready", "/metrics", "/api-docs/openapi.json", "/api-docs/ui"]) {
			expect(accessFor("GET", path)).toBe(PUBLIC);
		}
		expect(accessFor("GET", "/v1/tasks")).toBe("tasks:list");
		expect(accessFor("POST", "/v1/templates/validate")).toBe("templates:validate");
		expect(accessFor("GET", "/v1/templates/default/order/latest")).toBe("templates:read");
		expect(accessFor("GET", "/v1/templates/validate")).toBeNull();
		expect(accessFor("PATCH", "/v1/tasks/a/workflow_steps/b")).toBe("steps:resolve");
		expect(accessFor("DELETE", "/v1/templates")).toBeNull();
	});
});

describe("pull workers' routes", () => {
	it("need worker:execute, which a task operator's key does not hold", async () => {
		const env = {
			TASKER_API_KEYS: JSON.stringify([
				{ id: "ops", sha256: await sha256Hex(OPS_KEY), permissions: ["tasks:*", "steps:*"] },
				{ id: "worker", sha256: await sha256Hex(READER_KEY), permissions: ["worker:execute"] },
			]),
		};
		for (const route of ["poll", "results", "heartbeat", "release"]) {
			expect(accessFor("POST", `/v1/workers/${route}`)).toBe("worker:execute");
			const anonymous = await call(`/v1/workers/${route}`, env, {}, "POST");
			expect(anonymous.status).toBe(401);
			const ops = await call(`/v1/workers/${route}`, env, { "X-API-Key": OPS_KEY }, "POST");
			expect(ops).toMatchObject({
				status: 403,
				body: { error: { code: "FORBIDDEN", message: "ops lacks the permission worker:execute" } },
			});
			// Past the gate: the empty body is this worker's own mistake, a 400.
			const worker = await call(`/v1/workers/${route}`, env, { "X-API-Key": READER_KEY }, "POST");
			expect(worker.status).toBe(400);
		}
	});
});
