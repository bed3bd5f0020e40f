// `tasker health`: the server's health, readiness or detailed health, with an exit code a probe can use.
import { snakeCase, snakeCaseKeys } from "../client/camel-case";
import type { CommandContext } from "./cli-client";
import { CliError, ExitCode } from "./exit-codes";
import { wireObject } from "./wire-json";

export interface HealthArgs {
	ready?: boolean;
	detailed?: boolean;
}

export async function checkHealth(ctx: CommandContext, args: HealthArgs): Promise<ExitCode> {
	if (args.ready && args.detailed) throw new CliError(ExitCode.usage, "--ready and --detailed: choose one");
	const { body, good, lines } = await read(ctx, args);
	if (ctx.json) ctx.output.out(JSON.stringify(body));
	else for (const line of lines) ctx.output.out(line);
	return good ? ExitCode.ok : ExitCode.unhealthy;
}

async function read(ctx: CommandContext, args: HealthArgs) {
	if (args.detailed) {
		const detailed = await ctx.client.healthDetailed();
		// The client camelCased the bindings' names too; both outputs name them as the server sent them.
		const bindings = Object.entries(detailed.bindings).map(
			([name, ok]) => `${snakeCase(name)} ${ok ? "ok" : "MISSING"}`,
		);
		return {
			body: { ...wireObject(detailed), bindings: snakeCaseKeys(detailed.bindings) },
			good: detailed.status === "healthy",
			lines: [
				`${detailed.status} (version ${detailed.version})`,
				`templates: ${detailed.templates.count} in ${detailed.templates.namespaces.join(", ") || "no namespace"}`,
				`handlers: ${detailed.handlers.count}`,
				`bindings: ${bindings.join(", ")}`,
			],
		};
	}
	if (args.ready) {
		const readiness = await ctx.client.ready();
		const checks = Object.entries(readiness.checks).map(([name, check]) => {
			const size = "count" in check ? String(check.count) : `${Object.keys(check.routes).length} route(s)`;
			return `${snakeCase(name)}: ${check.status} (${size})${check.message ? `: ${check.message}` : ""}`;
		});
		return {
			body: { ...wireObject(readiness), checks: snakeCaseKeys(readiness.checks) },
			good: readiness.status === "ready",
			lines: [readiness.status, ...checks],
		};
	}
	const health = await ctx.client.health();
	return {
		body: wireObject(health),
		good: health.status === "healthy",
		lines: [`${health.status} at ${health.timestamp}`],
	};
}
