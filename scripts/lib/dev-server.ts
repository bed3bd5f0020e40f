// Starts a real `wrangler dev` for the end-to-end tests, the demo and the benchmarks, and stops it
// by its own process id. Quiet and offline: no metrics, no lookups of the Request.cf object.
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
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
	/**
	 * Apply the D1 migrations (migrations/) to the local database first, as `npm run dev` does (default
	 * true). A restart on a state that has them already may skip it: wrangler takes seconds to say so.
	 */
	migrate?: boolean;
	/** More `wrangler dev` arguments, e.g. those of an npm script (`--var PULL_NAMESPACES:default`). */
	extraArgs?: readonly string[];
	/** Environment variables for wrangler itself (not the Worker's vars), e.g. `X_LOCAL_OBSERVABILITY`. */
	wranglerEnv?: Readonly<Record<string, string>>;
}

export interface DevServer {
	url: string;
	pid: number;
	/** Everything wrangler printed so far (for diagnosing a failure). */
	output(): string;
	/** SIGTERM (wrangler stops workerd with it), then SIGKILL if it has not exited in time. */
	stop(): Promise<void>;
	/**
	 * SIGKILL at once, to wrangler and every process under it (its Node child and workerd), each by
	 * its own pid: a crash, for restart tests. Killing only wrangler's pid would orphan workerd, which
	 * would go on running steps and holding the persisted state.
	 */
	kill(): Promise<void>;
}

export const QUIET_WRANGLER_ENV = {
	WRANGLER_SEND_METRICS: "false",
	WRANGLER_SEND_ERROR_REPORTS: "false",
	DO_NOT_TRACK: "1",
	CLOUDFLARE_CF_FETCH_ENABLED: "false",
	// wrangler's local trace store (for its local explorer, which nothing here opens) writes every
	// invocation on workerd's one thread: off, a small task runs in about two thirds of the time.
	X_LOCAL_OBSERVABILITY: "false",
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
	if (options.migrate ?? true) await applyLocalMigrations(configs[0], options.persistTo);
	for (const config of configs) args.push("--config", config);
	if (options.persistTo) args.push("--persist-to", options.persistTo);
	if (options.envFile) args.push("--env-file", options.envFile);
	args.push(...(options.extraArgs ?? []));
	args.push("--show-interactive-dev-session=false");
	// wrangler needs Node 22: the `node` devDependency's binary is first on PATH, as under `npm run`.
	const child = spawn(join(bin, "wrangler"), args, {
		cwd: PROJECT_ROOT,
		env: {
			...process.env,
			...QUIET_WRANGLER_ENV,
			...options.wranglerEnv,
			PATH: `${bin}:${process.env.PATH ?? ""}`,
		},
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
		kill: () => killTree(child),
	};
	try {
		await waitForHealth(url, child, options.readyTimeoutMs ?? 60_000);
	} catch (error) {
		await server.kill();
		throw new Error(`${(error as Error).message}\n--- wrangler output ---\n${output.slice(-4000)}`);
	}
	return server;
}

/**
 * `wrangler d1 migrations apply TASK_INDEX --local` for the primary Worker's config (and state
 * directory): the D1 schema is created by migrations, never by the Worker at runtime.
 */
export async function applyLocalMigrations(config?: string, persistTo?: string): Promise<void> {
	const bin = join(PROJECT_ROOT, "node_modules", ".bin");
	const args = ["d1", "migrations", "apply", "TASK_INDEX", "--local"];
	if (config) args.push("--config", config);
	if (persistTo) args.push("--persist-to", persistTo);
	try {
		await promisify(execFile)(join(bin, "wrangler"), args, {
			cwd: PROJECT_ROOT,
			env: { ...process.env, ...QUIET_WRANGLER_ENV, CI: "1", PATH: `${bin}:${process.env.PATH ?? ""}` },
		});
	} catch (error) {
		const { stdout, stderr } = error as { stdout?: string; stderr?: string };
		throw new Error(`wrangler ${args.join(" ")} failed:\n${stdout ?? ""}${stderr ?? ""}`);
	}
}

export async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
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

/** SIGKILLs the child and all its descendants, collected before any dies (an orphan is re-parented). */
export async function killTree(child: ChildProcess): Promise<void> {
	if (child.pid === undefined) return;
	const pids = [child.pid, ...descendants(child.pid)];
	for (const pid of pids) {
		try {
			process.kill(pid, "SIGKILL");
		} catch {
			// Already gone.
		}
	}
	await terminate(child, "SIGKILL", 5_000);
	// Wait until every descendant is gone, so that a restart never meets the old workerd.
	const deadline = Date.now() + 5_000;
	while (pids.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Every process under `pid` (children first found, then theirs), from one `ps` listing. */
export function descendants(pid: number): number[] {
	const childrenOf = new Map<number, number[]>();
	for (const line of execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" }).split("\n")) {
		const [child, parent] = line.trim().split(/\s+/).map(Number);
		if (child === undefined || parent === undefined || Number.isNaN(child)) continue;
		childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), child]);
	}
	const found: number[] = [];
	const queue = [pid];
	while (queue.length > 0) {
		for (const child of childrenOf.get(queue.shift() as number) ?? []) {
			found.push(child);
			queue.push(child);
		}
	}
	return found;
}

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
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
