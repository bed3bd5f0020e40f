// The suite's own `wrangler dev` (bench config, fresh state in bench/.generated/state): started once, stopped by
// its pid when the run ends, throws, or the process gets SIGINT/SIGTERM, so no wrangler or workerd is left behind.
import { rm } from "node:fs/promises";
import { type DevServer, startDevServer } from "../../scripts/lib/dev-server";
import { BENCH_CONFIG, STATE_DIR } from "../prepare/bench-paths";

/**
 * wrangler dev's local observability (its trace store for the local explorer, on by default since wrangler
 * 4.15x) records every invocation of the Worker and its objects into SQLite on workerd's one thread, a
 * commit and an fsync at a time. That is dev tooling production does not run on the request's thread, and
 * it cost every system here alike about 20 ms per small task (≈40% of each figure), so the suite runs with it
 * off. `X_LOCAL_OBSERVABILITY=true npm run bench` measures with wrangler's default; the report says which.
 */
export function localObservabilityOn(): boolean {
	return /^(true|1)$/i.test(process.env.X_LOCAL_OBSERVABILITY ?? "");
}

export async function withBenchServer<T>(
	body: (server: DevServer, startMs: number) => Promise<T>,
): Promise<T> {
	await rm(STATE_DIR, { recursive: true, force: true });
	let server: DevServer | null = null;
	let signalled = false;
	const onSignal = (signal: NodeJS.Signals) => {
		if (signalled) return;
		signalled = true;
		console.error(`\n${signal}: stopping wrangler dev${server ? ` (pid ${server.pid})` : ""}`);
		const code = signal === "SIGINT" ? 130 : 143;
		// While wrangler is still starting there is no pid to stop: the start below notices and stops it.
		if (server) void server.stop().finally(() => process.exit(code));
		else process.exitCode = code;
	};
	process.on("SIGINT", onSignal);
	process.on("SIGTERM", onSignal);
	try {
		const started = performance.now();
		server = await startDevServer({
			config: BENCH_CONFIG,
			persistTo: STATE_DIR,
			readyTimeoutMs: 120_000,
			wranglerEnv: { X_LOCAL_OBSERVABILITY: String(localObservabilityOn()) },
		});
		if (signalled) {
			await server.stop();
			process.exit(process.exitCode ?? 130);
		}
		return await body(server, performance.now() - started);
	} catch (error) {
		// After a signal the run fails only because its server is going away: the process exits once it is gone.
		if (signalled) return await new Promise<T>(() => {});
		throw error;
	} finally {
		if (!signalled) {
			process.off("SIGINT", onSignal);
			process.off("SIGTERM", onSignal);
			await server?.stop();
			await rm(STATE_DIR, { recursive: true, force: true });
		}
	}
}
