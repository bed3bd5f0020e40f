// Auth on a real `wrangler dev` started with keys and a JWT secret (from an --env-file): the client
// and the CLI get in with the right credentials and are refused without them; health stays public.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../scripts/lib/dev-server";
import { seedOrderRequest } from "../../scripts/lib/seed-order";
import { sha256Hex } from "../../src/auth/api-keys";
import { TaskerApiError, TaskerClient } from "../../src/client";
import { runTasker } from "./run-tasker-cli";

const OPS_KEY = "tk_e2e_ops_key_0123456789";
const READER_KEY = "tk_e2e_reader_key_0123456789";
const SECRET = "e2e-hs256-secret-e2e-hs256-secret-0123";

let server: DevServer;

/** The status a WebSocket upgrade of `url` is answered with (101 when it is accepted). */
function upgradeStatus(url: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const request = httpGet(url, {
			headers: {
				Connection: "Upgrade",
				Upgrade: "websocket",
				"Sec-WebSocket-Version": "13",
				"Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
			},
		});
		request.on("upgrade", (_response, socket) => {
			socket.destroy();
			resolve(101);
		});
		request.on("response", (response) => {
			response.resume();
			resolve(response.statusCode ?? 0);
		});
		request.on("error", reject);
	});
}
let dir: string;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), "tasker-auth-e2e-"));
	const keys = [
		{ id: "ops", sha256: await sha256Hex(OPS_KEY), permissions: ["tasks:*", "steps:*", "templates:*"] },
		{ id: "reader", sha256: await sha256Hex(READER_KEY), permissions: ["templates:read"] },
	];
	const envFile = join(dir, ".env");
	await writeFile(envFile, `TASKER_API_KEYS='${JSON.stringify(keys)}'\nTASKER_JWT_HS256_SECRET=${SECRET}\n`);
	server = await startDevServer({ envFile, persistTo: join(dir, "state") });
}, 90_000);

afterAll(async () => {
	await server?.stop();
	if (dir) await rm(dir, { recursive: true, force: true });
});

describe("auth on wrangler dev", () => {
	it("the client with the ops key runs the seed's order; without a key it gets a 401", async () => {
		const { name, context, initiator, reason } = seedOrderRequest();
		const stranger = new TaskerClient({ baseUrl: server.url });
		const refused = await stranger
			.createTask(name, { context, initiator, reason, sourceSystem: "e2e" })
			.catch((e) => e);
		expect(refused).toBeInstanceOf(TaskerApiError);
		expect(refused).toMatchObject({ status: 401, code: "UNAUTHORIZED" });

		const ops = new TaskerClient({ baseUrl: server.url, apiKey: OPS_KEY });
		const created = await ops.createTask(name, { context, initiator, reason, sourceSystem: "e2e" });
		expect(await ops.waitForTask(created.taskUuid, { timeoutMs: 20_000 })).toMatchObject({
			status: "complete",
		});
		expect((await stranger.health()).status).toBe("healthy");
	});

	it("the live stream takes the credentials in its query (a browser sends no headers with a WebSocket)", async () => {
		const { name, context, initiator, reason } = seedOrderRequest();
		const ops = new TaskerClient({ baseUrl: server.url, apiKey: OPS_KEY });
		const created = await ops.createTask(name, { context, initiator, reason, sourceSystem: "e2e-stream" });
		// The client puts its key in the stream's query: it follows the task to the end.
		expect(await ops.followTask(created.taskUuid, { timeoutMs: 20_000 })).toMatchObject({
			status: "complete",
		});
		const stream = `${server.url}/v1/tasks/${created.taskUuid}/stream`;
		expect(await upgradeStatus(stream)).toBe(401);
		expect(await upgradeStatus(`${stream}?api_key=${READER_KEY}`)).toBe(403);
		expect(await upgradeStatus(`${stream}?api_key=${OPS_KEY}`)).toBe(101);
		// Only the stream reads credentials from the query: anywhere else they are ignored.
		expect((await fetch(`${server.url}/v1/tasks/${created.taskUuid}?api_key=${OPS_KEY}`)).status).toBe(401);
	});

	it("a bearer token carries its permissions: templates:read may list templates but not read tasks", async () => {
		const token = await new SignJWT({ permissions: ["templates:read"] })
			.setProtectedHeader({ alg: "HS256" })
			.setSubject("dashboard")
			.setExpirationTime("5m")
			.sign(new TextEncoder().encode(SECRET));
		const client = new TaskerClient({ baseUrl: server.url, bearerToken: token });
		expect((await client.listTemplates()).totalCount).toBeGreaterThan(0);
		const forbidden = await client.listTasks().catch((e) => e);
		expect(forbidden).toMatchObject({ status: 403, code: "FORBIDDEN" });
		expect(String(forbidden.message)).not.toContain(token);
	});

	it("the CLI sends TASKER_API_KEY: exit 0 with the permission, 1 with FORBIDDEN without it", async () => {
		const asReader = await runTasker(["template", "list"], {
			TASKER_URL: server.url,
			TASKER_API_KEY: READER_KEY,
		});
		expect(asReader.code).toBe(0);
		expect(asReader.stdout).toContain("order_processing");
		const listing = await runTasker(["task", "list"], { TASKER_URL: server.url, TASKER_API_KEY: READER_KEY });
		expect(listing.code).toBe(1);
		expect(listing.stderr).toMatch(/^FORBIDDEN: reader lacks the permission tasks:list/);
		expect(listing.stderr).not.toContain(READER_KEY);
	});
});
