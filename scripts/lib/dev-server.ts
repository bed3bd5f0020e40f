// Starts a real `wrangler dev` for the end-to-end tests, the demo and the benchmarks, and stops it
// by its own process id. Quiet and offline: no metrics, no lookups of the Request.cf object.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { PROJECT_ROOT } from "./load-project";

export interface DevServerOptions {
	port?: number;
	/**
	 * A wrangler config other than the project's wrangler.toml; several run together in one dev
	 * session (the first is the primary Worker, served on `port`; the others, e.g. a handler Worker,
	 * share its local Durable Objects and Queues).
	 */
	config?: string | readonly string[];
	/** Keep Durable Object state (and pending alarms) in this directory across restarts. */
	persistTo?: string;
	/** Milliseconds to wait for GET /health to answer. */
	readyTimeoutMs?: number;
	/** A .env file of variables and secrets for the Worker (e.g. auth settings). */
	envFile?: string;
}

export interface DevServer {
	url: string;
	pid: number;
	/** Everything wrangler printed so far (for diagnosing a failure). */
	output(): string;
	/** SIGTERM (wrangler stops workerd with it), then SIGKILL if it has not exited in time. */
	stop(): Promise<void>;
	/** SIGKILL at once: a crash, for restart tests. */
	kill(): Promise<void>;
}

export const QUIET_WRANGLER_ENV = {
	WRANGLER_SEND_METRICS: "false",
	WRANGLER_SEND_ERROR_REPORTS: "false",
	DO_NOT_TRACK: "1",
	CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const address = server.address();
			server.close(() =>
				typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
			);
		});
	});
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
	const port = options.port ?? (await freePort());
	const bin = join(PROJECT_ROOT, "node_modules", ".bin");
	const args = [
		"dev",
		"--port",
		String(port),
		"--ip",
		"127.0.0.1",
		"--inspector-port",
		String(await freePort()),
	];
	const configs = typeof options.config === "string" ? [options.config] : (options.config ?? []);
	for (const config of configs) args.push("--config", config);
	if (options.persistTo) args.push("--persist-to", options.persistTo);
	if (options.envFile) args.push("--env-file", options.envFile);
	args.push("--show-interactive-dev-session=false");
	// wrangler needs Node 22: the `node` devDependency's binary is first on PATH, as under `npm run`.
	const child = spawn(join(bin, "wrangler"), args, {
		cwd: PROJECT_ROOT,
		env: { ...process.env, ...QUIET_WRANGLER_ENV, PATH: `${bin}:${process.env.PATH ?? ""}` },
		stdio: ["ignore", "pipe", "pipe"],
	});
	let output = "";
	child.stdout?.on("data", (chunk: Buffer) => {
		output += chunk.toString();
	});
	child.stderr?.on("data", (chunk: Buffer) => {
		output += chunk.toString();
	});
	const url = `http://127.0.0.1:${port}`;
	const server: DevServer = {
		url,
		pid: child.pid ?? -1,
		output: () => output,
		stop: () => terminate(child, "SIGTERM", 10_000),
		kill: () => terminate(child, "SIGKILL", 5_000),
	};
	try {
		await waitForHealth(url, child, options.readyTimeoutMs ?? 60_000);
	} catch (error) {
		await server.kill();
		throw new Error(`${(error as Error).message}\n--- wrangler output ---\n${output.slice(-4000)}`);
	}
	return server;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`wrangler dev exited (${child.exitCode ?? child.signalCode}) before answering`);
		}
		try {
			const response = await fetch(`${url}/health`);
			if (response.ok) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`wrangler dev did not answer ${url}/health within ${timeoutMs} ms`);
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
	child.kill(signal);
	const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), graceMs).unref());
	if ((await Promise.race([exited, timer])) === "timeout") {
		child.kill("SIGKILL");
		await exited;
	}
}
