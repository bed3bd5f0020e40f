// `npm run dev`'s launcher (scripts/dev.ts), as `npm run dev -- --port N` runs it: wrangler dev serves on N,
// the templates' schedules are synced with that server (not 8787, not the Worker TASKER_URL names, not a
// server already on N), and a SIGTERM to the launcher alone stops wrangler and workerd with it.
import { type ChildProcess, spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import {
	applyLocalMigrations,
	descendants,
	freePort,
	isAlive,
	killTree,
	QUIET_WRANGLER_ENV,
} from "../../scripts/lib/dev-server";
import { PROJECT_ROOT } from "../../scripts/lib/load-project";

const PERSIST_DIR = join(PROJECT_ROOT, "test", `.tmp-dev-script-${process.pid}`);
const BIN = join(PROJECT_ROOT, "node_modules", ".bin");
/** The suite's own server: named by TASKER_URL, it must not be the one synced. */
const otherServer = inject("taskerUrl");

const launchers: ChildProcess[] = [];
const decoys: Server[] = [];

afterAll(async () => {
	for (const launcher of launchers) await killTree(launcher);
	for (const decoy of decoys) decoy.close();
	await rm(PERSIST_DIR, { recursive: true, force: true });
});

interface Launched {
	child: ChildProcess;
	output(): string;
	exited: Promise<number | null>;
	/** Waits until the launcher has said whether it synced (or it ended), at most a minute. */
	syncSaid(): Promise<void>;
}

async function launch(port: number): Promise<Launched> {
	const args = ["--port", String(port), "--ip", "127.0.0.1", "--inspector-port", String(await freePort())];
	args.push("--persist-to", PERSIST_DIR, "--show-interactive-dev-session=false");
	const child = spawn(join(BIN, "tsx"), ["scripts/dev.ts", ...args], {
		cwd: PROJECT_ROOT,
		env: {
			...process.env,
			...QUIET_WRANGLER_ENV,
			TASKER_URL: otherServer,
			PATH: `${BIN}:${process.env.PATH}`,
		},
		stdio: ["ignore", "pipe", "pipe"],
	});
	launchers.push(child);
	let output = "";
	const collect = (chunk: Buffer) => {
		output += chunk.toString();
	};
	child.stdout?.on("data", collect);
	child.stderr?.on("data", collect);
	const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
	const syncSaid = async () => {
		const deadline = Date.now() + 60_000;
		while (!/schedules (not )?synced/.test(output) && child.exitCode === null && Date.now() < deadline) {
			await new Promise((wake) => setTimeout(wake, 100));
		}
	};
	return { child, output: () => output, exited, syncSaid };
}

const within = <T>(promise: Promise<T>, ms: number) =>
	Promise.race([promise, new Promise<"timeout">((wake) => setTimeout(() => wake("timeout"), ms))]);

describe("npm run dev's launcher", () => {
	it("syncs the schedules with the server it started on the port given, and stops with it", async () => {
		await applyLocalMigrations(undefined, PERSIST_DIR);
		const port = await freePort();
		const { child, output, exited, syncSaid } = await launch(port);
		await syncSaid();
		const url = `http://127.0.0.1:${port}`;
		expect(output()).toContain(`schedules synced with ${url}: `);
		expect(output()).not.toContain(otherServer);
		expect((await fetch(`${url}/health`)).ok).toBe(true);

		const tree = descendants(child.pid as number);
		expect(tree.length).toBeGreaterThan(0);
		child.kill("SIGTERM");
		expect(await within(exited, 15_000), output().slice(-2000)).not.toBe("timeout");
		const deadline = Date.now() + 5_000;
		while (tree.some(isAlive) && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 50));
		expect(tree.filter(isAlive)).toEqual([]);
		await expect(fetch(`${url}/health`)).rejects.toThrow();
	}, 90_000);

	it("never syncs a server that already held the port: wrangler refuses it and the launcher exits", async () => {
		const requests: string[] = [];
		const decoy = createServer((request, response) => {
			requests.push(`${request.method} ${request.url}`);
			response.end(JSON.stringify({ status: "healthy" }));
		});
		decoys.push(decoy);
		const port = await freePort();
		await new Promise<void>((resolve) => decoy.listen(port, "127.0.0.1", resolve));
		const { output, exited, syncSaid } = await launch(port);
		await syncSaid();
		expect(output()).toContain(`schedules not synced: http://127.0.0.1:${port} already answered`);
		expect(await within(exited, 60_000), output().slice(-2000)).toBe(1);
		expect(output()).toContain("Address already in use");
		expect(requests.filter((request) => !request.startsWith("GET /health"))).toEqual([]);
	}, 90_000);
});
